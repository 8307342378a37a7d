package dev.rewind.backup.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a tenant's stored objects safe to restore on a shared verification server. A dump carries triggers, views,
 * routines and events as their {@code SHOW CREATE} text, with the tenant's {@code DEFINER} (often {@code root}): each
 * DEFINER clause becomes {@code DEFINER=CURRENT_USER}, so the objects run with the rights of the verification's own
 * account (its scratch databases and nothing else), and each event is created {@code DISABLE}d, so none runs at all.
 * Works on the text of mydumper's schema files and of mysqldump files (there, INSERT lines are data and pass as they
 * are). Bytes pass through unchanged (ISO-8859-1 in and out); names and strings are never rewritten.
 */
final class TenantObjects {

    /** A DEFINER clause, matched on a line whose quoted parts are blanked. */
    private static final Pattern DEFINER = Pattern.compile(
            "\\bDEFINER\\s*=\\s*(?:`[^`]*`|'[^']*'|\"[^\"]*\"|CURRENT_USER(?:\\s*\\(\\s*\\))?|[A-Za-z0-9_.$-]+)"
                    + "(?:\\s*@\\s*(?:`[^`]*`|'[^']*'|\"[^\"]*\"|[A-Za-z0-9_.%$:-]+))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern EVENT_HEAD = Pattern.compile("\\bCREATE\\b.*?\\bEVENT\\b.*?\\bON\\s+SCHEDULE\\b",
            Pattern.CASE_INSENSITIVE);
    /** An event's status, right before its (optional) comment and DO. */
    private static final Pattern STATUS = Pattern.compile(
            "\\b(ENABLE|DISABLE\\s+ON\\s+SLAVE|DISABLE\\s+ON\\s+REPLICA)(\\s+COMMENT\\s*'[^']*')?\\s+DO\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DATA_LINE = Pattern.compile("^\\s*(INSERT|REPLACE)\\s", Pattern.CASE_INSENSITIVE);
    /** Longest line read whole (mysqldump's INSERT lines pass through in pieces). */
    private static final int MAX_LINE = 1 << 20;

    private TenantObjects() {
    }

    /** One line (without its line break) with its DEFINER clauses rewritten and, on an event's head, DISABLE. */
    static String rewrite(String line) {
        String blank = blankQuoted(line);
        StringBuilder out = new StringBuilder(line.length());
        Matcher definer = DEFINER.matcher(blank);
        int from = 0;
        StringBuilder blankOut = new StringBuilder(line.length());
        while (definer.find()) {
            out.append(line, from, definer.start()).append("DEFINER=CURRENT_USER");
            blankOut.append(blank, from, definer.start()).append("DEFINER=CURRENT_USER");
            from = definer.end();
        }
        out.append(line, from, line.length());
        blankOut.append(blank, from, blank.length());
        String rewritten = out.toString();
        String blanked = blankOut.toString();
        Matcher head = EVENT_HEAD.matcher(blanked);
        if (head.find()) {
            Matcher status = STATUS.matcher(blanked);
            if (status.find(head.end())) {
                rewritten = rewritten.substring(0, status.start(1)) + "DISABLE" + rewritten.substring(status.end(1));
            }
        }
        return rewritten;
    }

    /** The line with the inside of every `name`, 'string' and "string" replaced by spaces (same length). */
    static String blankQuoted(String line) {
        char[] chars = line.toCharArray();
        char quote = 0;
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (quote == 0) {
                if (c == '`' || c == '\'' || c == '"') {
                    quote = c;
                }
            } else if (c == '\\' && quote != '`' && i + 1 < chars.length) {
                chars[i] = ' ';
                chars[++i] = ' ';
            } else if (c == quote) {
                if (i + 1 < chars.length && chars[i + 1] == quote) {
                    chars[i] = ' ';
                    chars[++i] = ' ';
                } else {
                    quote = 0;
                }
            } else {
                chars[i] = ' ';
            }
        }
        return new String(chars);
    }

    /**
     * Copies a dump file, rewriting every line but data lines.
     *
     * @param dataLines whether INSERT/REPLACE lines are data to pass through untouched (a mysqldump file)
     */
    static void copy(InputStream in, OutputStream target, boolean dataLines) throws IOException {
        byte[] buffer = new byte[1 << 16];
        ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
        boolean passing = false;
        int n;
        while ((n = in.read(buffer)) != -1) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] != '\n') {
                    continue;
                }
                if (passing) {
                    target.write(buffer, start, i + 1 - start);
                    passing = false;
                } else {
                    line.write(buffer, start, i - start);
                    target.write(lineBytes(line, dataLines));
                    target.write('\n');
                    line.reset();
                }
                start = i + 1;
            }
            if (passing) {
                target.write(buffer, start, n - start);
            } else {
                line.write(buffer, start, n - start);
                if (line.size() >= MAX_LINE) {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    if (!dataLines || !DATA_LINE.matcher(text).find()) {
                        throw new IOException("a line of the dump's schema is longer than " + MAX_LINE + " bytes");
                    }
                    line.writeTo(target); // a long INSERT: the rest of it passes through as it comes
                    line.reset();
                    passing = true;
                }
            }
        }
        if (line.size() > 0) {
            target.write(lineBytes(line, dataLines));
        }
    }

    private static byte[] lineBytes(ByteArrayOutputStream line, boolean dataLines) {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        if (dataLines && DATA_LINE.matcher(text).find()) {
            return line.toByteArray();
        }
        return rewrite(text).getBytes(StandardCharsets.ISO_8859_1);
    }
}
