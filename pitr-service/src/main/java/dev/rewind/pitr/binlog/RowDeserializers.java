package dev.rewind.pitr.binlog;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The connector's event deserializer with Rewind's cell decoding for rows events: temporal values, YEAR and BIT as
 * {@link TemporalCells} reads them; CHAR/BINARY as bytes (decoded later with the column's charset).
 */
public final class RowDeserializers {

    private RowDeserializers() {
    }

    public static EventDeserializer create() {
        Map<Long, TableMapEventData> tableMaps = new HashMap<>();
        EventDeserializer deserializer = new EventDeserializer(new EventHeaderV4Deserializer(),
                new NullEventDataDeserializer(), new HashMap<>(), tableMaps);
        // restore the connector's defaults for everything (table maps, GTIDs, queries...), then replace the rows ones
        EventDeserializer defaults = new EventDeserializer();
        for (EventType type : EventType.values()) {
            var d = defaults.getEventDataDeserializer(type);
            if (d != null && !(d instanceof NullEventDataDeserializer)) {
                deserializer.setEventDataDeserializer(type, d);
            }
        }
        deserializer.setEventDataDeserializer(EventType.TABLE_MAP,
                new com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer());
        deserializer.setEventDataDeserializer(EventType.WRITE_ROWS, new Write(tableMaps));
        deserializer.setEventDataDeserializer(EventType.EXT_WRITE_ROWS, new Write(tableMaps).setMayContainExtraInformation(true));
        deserializer.setEventDataDeserializer(EventType.UPDATE_ROWS, new Update(tableMaps));
        deserializer.setEventDataDeserializer(EventType.EXT_UPDATE_ROWS, new Update(tableMaps).setMayContainExtraInformation(true));
        deserializer.setEventDataDeserializer(EventType.DELETE_ROWS, new Delete(tableMaps));
        deserializer.setEventDataDeserializer(EventType.EXT_DELETE_ROWS, new Delete(tableMaps).setMayContainExtraInformation(true));
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
                EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        return deserializer;
    }

    static final class Write extends WriteRowsEventDataDeserializer {
        Write(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException { return TemporalCells.date(in); }
        @Override protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException { return TemporalCells.time(in); }
        @Override protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.time2(meta, in); }
        @Override protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException { return TemporalCells.datetime(in); }
        @Override protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.datetime2(meta, in); }
        @Override protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException { return TemporalCells.timestamp(in); }
        @Override protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.timestamp2(meta, in); }
        @Override protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException { return TemporalCells.year(in); }
        @Override protected Serializable deserializeBit(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.bit(meta, in); }
    }

    static final class Update extends UpdateRowsEventDataDeserializer {
        Update(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException { return TemporalCells.date(in); }
        @Override protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException { return TemporalCells.time(in); }
        @Override protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.time2(meta, in); }
        @Override protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException { return TemporalCells.datetime(in); }
        @Override protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.datetime2(meta, in); }
        @Override protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException { return TemporalCells.timestamp(in); }
        @Override protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.timestamp2(meta, in); }
        @Override protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException { return TemporalCells.year(in); }
        @Override protected Serializable deserializeBit(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.bit(meta, in); }
    }

    static final class Delete extends DeleteRowsEventDataDeserializer {
        Delete(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException { return TemporalCells.date(in); }
        @Override protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException { return TemporalCells.time(in); }
        @Override protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.time2(meta, in); }
        @Override protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException { return TemporalCells.datetime(in); }
        @Override protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.datetime2(meta, in); }
        @Override protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException { return TemporalCells.timestamp(in); }
        @Override protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.timestamp2(meta, in); }
        @Override protected Serializable deserializeYear(ByteArrayInputStream in) throws IOException { return TemporalCells.year(in); }
        @Override protected Serializable deserializeBit(int meta, ByteArrayInputStream in) throws IOException { return TemporalCells.bit(meta, in); }
    }
}
