package dev.rewind.deploy.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML reading (SnakeYAML, safe constructor; merge keys {@code <<} are resolved) and navigation in the result. */
public final class Yamls {

    private Yamls() {
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    public static Map<String, Object> load(String text) {
        return map(yaml().load(text));
    }

    /** Every non-empty document of a multi-document stream. */
    public static List<Map<String, Object>> loadAll(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(text)) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map)) {
            throw new AssertionError("expected a mapping, got " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List)) {
            throw new AssertionError("expected a sequence, got " + o);
        }
        return (List<Object>) o;
    }

    public static List<Map<String, Object>> maps(Object o) {
        return list(o).stream().map(Yamls::map).toList();
    }

    /** Follows a dotted path of mapping keys; null when a step is missing. */
    public static Object at(Map<String, Object> root, String dotted) {
        Object current = root;
        for (String key : dotted.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    public static String str(Map<String, Object> root, String dotted) {
        Object v = at(root, dotted);
        return v == null ? null : String.valueOf(v);
    }
}
