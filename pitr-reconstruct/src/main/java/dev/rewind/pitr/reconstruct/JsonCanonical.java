package dev.rewind.pitr.reconstruct;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** Canonical text of a JSON document: sorted object members, numbers without trailing zeros. */
final class JsonCanonical {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private JsonCanonical() {
    }

    static String of(String text) {
        try {
            return MAPPER.writeValueAsString(normalize(MAPPER.readTree(text)));
        } catch (JsonProcessingException e) {
            return "\u0000invalid:" + text; // not JSON: compare as text
        }
    }

    private static JsonNode normalize(JsonNode n) {
        if (n == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (n.isObject()) {
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                o.set(name, normalize(n.get(name)));
            }
            return o;
        }
        if (n.isArray()) {
            var a = JsonNodeFactory.instance.arrayNode();
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                a.add(normalize(it.next()));
            }
            return a;
        }
        if (n.isNumber()) {
            BigDecimal d = n.decimalValue();
            d = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
            return JsonNodeFactory.instance.textNode("\u0000num:" + d.toPlainString());
        }
        return n;
    }
}
