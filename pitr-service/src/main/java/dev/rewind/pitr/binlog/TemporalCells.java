package dev.rewind.pitr.binlog;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Decodes temporal, YEAR and BIT cells from their binlog bytes into the values the source itself shows, exactly:
 * DATE {@code 2026-04-10}, TIME {@code -838:59:59.000000}, DATETIME {@code 2026-04-10 14:30:00.123}, TIMESTAMP as a UTC
 * instant {@code 2026-04-10T14:30:00.123Z}, each with as many fraction digits as the column declares; zero dates stay
 * zero ({@code 0000-00-00}). The connector's own conversions lose the sign of TIME and turn zero dates into epochs.
 * Layouts follow MySQL's my_time.cc (TIME2/DATETIME2/TIMESTAMP2 and the old formats).
 */
final class TemporalCells {

    private static final DateTimeFormatter INSTANT_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private TemporalCells() {
    }

    static String date(ByteArrayInputStream in) throws IOException {
        int value = in.readInteger(3);
        int day = value % 32;
        value >>>= 5;
        int month = value % 16;
        int year = value >> 4;
        return String.format("%04d-%02d-%02d", year, month, day);
    }

    /** Old TIME (before 5.6): HHMMSS as a signed 3-byte integer. */
    static String time(ByteArrayInputStream in) throws IOException {
        int value = (in.readInteger(3) << 8) >> 8;
        boolean negative = value < 0;
        value = Math.abs(value);
        return (negative ? "-" : "") + String.format("%02d:%02d:%02d", value / 10000, (value / 100) % 100, value % 100);
    }

    /** TIME2: 3 bytes big endian offset by 0x800000, then the fraction; negative values in two's complement. */
    static String time2(int fsp, ByteArrayInputStream in) throws IOException {
        long intPart;
        long frac;
        switch (fsp) {
            case 1, 2 -> {
                intPart = bigEndian(in, 3) - 0x800000L;
                frac = bigEndian(in, 1); // unsigned: a negative value stores 0x100 - its hundredths
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x100;
                }
                frac *= 10000;
            }
            case 3, 4 -> {
                intPart = bigEndian(in, 3) - 0x800000L;
                frac = bigEndian(in, 2); // unsigned: a negative value stores 0x10000 - its 1/10000 s
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x10000;
                }
                frac *= 100;
            }
            case 5, 6 -> {
                // already the packed value (integer part << 24) + microseconds
                long whole = bigEndian(in, 6) - 0x800000000000L;
                intPart = whole >> 24;
                frac = whole - (intPart << 24);
            }
            default -> {
                intPart = bigEndian(in, 3) - 0x800000L;
                frac = 0;
            }
        }
        long packed = (intPart << 24) + frac;
        boolean negative = packed < 0;
        if (negative) {
            packed = -packed;
        }
        long hms = packed >> 24;
        long micros = packed % (1L << 24);
        long hour = (hms >> 12) % (1 << 10);
        long minute = (hms >> 6) % (1 << 6);
        long second = hms % (1 << 6);
        return (negative ? "-" : "") + String.format("%02d:%02d:%02d", hour, minute, second) + fraction(micros, fsp);
    }

    /** Old DATETIME: YYYYMMDDhhmmss as an 8-byte little-endian integer. */
    static String datetime(ByteArrayInputStream in) throws IOException {
        long v = in.readLong(8);
        long date = v / 1000000;
        long time = v % 1000000;
        return String.format("%04d-%02d-%02d %02d:%02d:%02d", date / 10000, (date / 100) % 100, date % 100,
                time / 10000, (time / 100) % 100, time % 100);
    }

    /** DATETIME2: 5 bytes big endian offset by 0x8000000000, then the fraction. */
    static String datetime2(int fsp, ByteArrayInputStream in) throws IOException {
        long intPart = bigEndian(in, 5) - 0x8000000000L;
        long micros = unsignedFraction(fsp, in);
        long ymd = intPart >> 17;
        long ym = ymd >> 5;
        long hms = intPart % (1L << 17);
        return String.format("%04d-%02d-%02d %02d:%02d:%02d", ym / 13, ym % 13, ymd % (1 << 5), hms >> 12,
                (hms >> 6) % (1 << 6), hms % (1 << 6)) + fraction(micros, fsp);
    }

    /** Old TIMESTAMP: seconds since the epoch, 4 bytes little endian. */
    static String timestamp(ByteArrayInputStream in) throws IOException {
        return instant(in.readLong(4) & 0xFFFFFFFFL, 0, 0);
    }

    /** TIMESTAMP2: seconds since the epoch, 4 bytes big endian, then the fraction. */
    static String timestamp2(int fsp, ByteArrayInputStream in) throws IOException {
        long seconds = bigEndian(in, 4);
        long micros = unsignedFraction(fsp, in);
        return instant(seconds, micros, fsp);
    }

    private static String instant(long seconds, long micros, int fsp) {
        if (seconds == 0 && micros == 0) {
            return "0000-00-00 00:00:00" + fraction(0, fsp);
        }
        return INSTANT_SECONDS.format(Instant.ofEpochSecond(seconds)) + fraction(micros, fsp) + "Z";
    }

    static Integer year(ByteArrayInputStream in) throws IOException {
        int value = in.readInteger(1);
        return value == 0 ? 0 : 1900 + value;
    }

    /** BIT(n): big-endian bytes, as an unsigned integer. */
    static BigInteger bit(int meta, ByteArrayInputStream in) throws IOException {
        int bytes = (meta >> 8) + ((meta & 0xFF) > 0 ? 1 : 0);
        return new BigInteger(1, in.read(bytes));
    }

    private static long unsignedFraction(int fsp, ByteArrayInputStream in) throws IOException {
        return switch (fsp) {
            case 1, 2 -> bigEndian(in, 1) * 10000;
            case 3, 4 -> bigEndian(in, 2) * 100;
            case 5, 6 -> bigEndian(in, 3);
            default -> 0;
        };
    }

    private static String fraction(long micros, int fsp) {
        if (fsp <= 0) {
            return "";
        }
        String six = String.format("%06d", micros);
        return "." + six.substring(0, Math.min(fsp, 6));
    }

    private static long bigEndian(ByteArrayInputStream in, int length) throws IOException {
        byte[] bytes = in.read(length);
        long result = 0;
        for (byte b : bytes) {
            result = (result << 8) | (b & 0xFF);
        }
        return result;
    }
}
