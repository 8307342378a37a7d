package dev.rewind.deploy.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Path routing of the two gateways, modelled so that they can be compared: an nginx configuration (the local
 * gateway's template, or the compose gateway) and a Kubernetes Ingress for ingress-nginx.
 */
public final class Routes {

    /** One routing rule: a regular expression or a path prefix, and the service it sends to (null: answered by the gateway itself). */
    public record Rule(boolean regex, String path, String service) {
    }

    private static final Pattern UPSTREAM = Pattern.compile("upstream\\s+(\\w+)\\s*\\{\\s*server\\s+([^:;\\s]+):(\\d+)");
    private static final Pattern LOCATION = Pattern.compile("location\\s+(=|~\\*|~|\\^~)?\\s*(\\S+)\\s*\\{([^}]*)}");
    private static final Pattern PROXY_PASS = Pattern.compile("proxy_pass\\s+http://(\\w+)\\s*;");

    private Routes() {
    }

    /** An nginx configuration's upstreams: name → host:port. */
    public static Map<String, String> upstreams(String nginxConf) {
        Map<String, String> upstreams = new LinkedHashMap<>();
        Matcher m = UPSTREAM.matcher(nginxConf);
        while (m.find()) {
            upstreams.put(m.group(1), m.group(2) + ":" + m.group(3));
        }
        return upstreams;
    }

    /**
     * The routing of an nginx configuration in nginx's own order of evaluation: {@code =} exact matches, then the
     * longest prefix ({@code ^~} stops there), then regular expressions in file order, then the longest prefix. The
     * upstream's port names the service ({@code portToService}); internal locations are left out.
     */
    public static Nginx nginx(String conf, Map<Integer, String> portToService) {
        Map<String, String> upstreams = upstreams(conf);
        List<NginxLocation> locations = new ArrayList<>();
        Matcher m = LOCATION.matcher(conf);
        while (m.find()) {
            String modifier = m.group(1) == null ? "" : m.group(1);
            String body = m.group(3);
            if (body.contains("internal;")) {
                continue;
            }
            Matcher pass = PROXY_PASS.matcher(body);
            String service = null;
            if (pass.find()) {
                String upstream = upstreams.get(pass.group(1));
                if (upstream == null) {
                    throw new AssertionError("proxy_pass to an unknown upstream " + pass.group(1));
                }
                int port = Integer.parseInt(upstream.substring(upstream.indexOf(':') + 1));
                service = portToService.get(port);
                if (service == null) {
                    throw new AssertionError("upstream " + pass.group(1) + " (" + upstream + ") is no service's port");
                }
            }
            locations.add(new NginxLocation(modifier, m.group(2), service));
        }
        return new Nginx(locations);
    }

    public record NginxLocation(String modifier, String pattern, String service) {
        boolean regex() {
            return modifier.startsWith("~");
        }
    }

    /** nginx's routing. */
    public record Nginx(List<NginxLocation> locations) {

        /** The rules that send a request to a service. */
        public List<Rule> rules() {
            return locations.stream().filter(l -> l.service() != null)
                    .map(l -> new Rule(l.regex(), l.regex() ? stripAnchor(l.pattern()) : l.pattern(), l.service())).toList();
        }

        /** The service a request path goes to, empty when the gateway answers it itself (404, 400...). */
        public Optional<String> route(String path) {
            for (NginxLocation l : locations) {
                if (l.modifier().equals("=") && l.pattern().equals(path)) {
                    return Optional.ofNullable(l.service());
                }
            }
            NginxLocation longest = locations.stream().filter(l -> l.modifier().isEmpty() || l.modifier().equals("^~"))
                    .filter(l -> path.startsWith(l.pattern())).max(Comparator.comparingInt(l -> l.pattern().length()))
                    .orElse(null);
            if (longest != null && longest.modifier().equals("^~")) {
                return Optional.ofNullable(longest.service());
            }
            for (NginxLocation l : locations) {
                if (l.regex()) {
                    int flags = l.modifier().equals("~*") ? Pattern.CASE_INSENSITIVE : 0;
                    if (Pattern.compile(l.pattern(), flags).matcher(path).find()) {
                        return Optional.ofNullable(l.service());
                    }
                }
            }
            return longest == null ? Optional.empty() : Optional.ofNullable(longest.service());
        }
    }

    /**
     * The routing of an Ingress for ingress-nginx with {@code use-regex: "true"}: every path becomes a
     * case-insensitive regular expression anchored at the start, tried longest first.
     */
    public record IngressRoutes(List<Rule> rules) {

        public Optional<String> route(String path) {
            return rules.stream().sorted(Comparator.comparingInt((Rule r) -> r.path().length()).reversed())
                    .filter(r -> Pattern.compile("^" + (r.regex() ? r.path() : Pattern.quote(r.path())), Pattern.CASE_INSENSITIVE)
                            .matcher(path).find())
                    .map(Rule::service).findFirst();
        }
    }

    public static IngressRoutes ingress(Map<String, Object> ingress) {
        List<Rule> rules = new ArrayList<>();
        for (Map<String, Object> rule : Yamls.maps(Yamls.at(ingress, "spec.rules"))) {
            for (Map<String, Object> p : Yamls.maps(Yamls.at(rule, "http.paths"))) {
                boolean regex = "ImplementationSpecific".equals(p.get("pathType"));
                rules.add(new Rule(regex, String.valueOf(p.get("path")), Yamls.str(p, "backend.service.name")));
            }
        }
        return new IngressRoutes(rules);
    }

    private static String stripAnchor(String regex) {
        return regex.startsWith("^") ? regex.substring(1) : regex;
    }
}
