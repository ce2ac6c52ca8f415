package videopipe.localstack.apigateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import videopipe.localstack.apigateway.OpenApiDocument.Route;

/**
 * Picks the route for a request as HTTP APIs do: the most specific match wins. Segment by segment
 * from the left, a literal beats a {@code {variable}}, which beats a greedy {@code {proxy+}}; a
 * route for the request's method beats an {@code ANY} route. A path that matches but not for this
 * method is 404, like no match at all (HTTP APIs do not answer 405).
 */
final class RouteTable {

  record Match(Route route, Map<String, String> pathParameters) {}

  private record Compiled(Route route, List<String> segments, int[] rank) {}

  private final List<Compiled> routes = new ArrayList<>();

  RouteTable(List<Route> routes) {
    for (Route route : routes) {
      List<String> segments = segments(route.path());
      int[] rank = new int[segments.size() + 1];
      for (int i = 0; i < segments.size(); i++) {
        String s = segments.get(i);
        rank[i] = s.startsWith("{") && s.endsWith("+}") ? 0 : s.startsWith("{") && s.endsWith("}") ? 1 : 2;
      }
      rank[segments.size()] = route.method().equals("ANY") ? 0 : 1;
      this.routes.add(new Compiled(route, segments, rank));
    }
    // most specific first: compare ranks left to right, a longer literal path before a shorter one
    this.routes.sort(Comparator.comparing(Compiled::rank, RouteTable::compareRanks).reversed());
  }

  Optional<Match> match(String method, String rawPath) {
    List<String> request = segments(rawPath);
    for (Compiled c : routes) {
      if (!c.route().method().equals("ANY") && !c.route().method().equals(method)) {
        continue;
      }
      Map<String, String> params = bind(c.segments(), request);
      if (params != null) {
        return Optional.of(new Match(c.route(), params));
      }
    }
    return Optional.empty();
  }

  /** The path parameters, URL-decoded, or null when the template does not match. */
  private static Map<String, String> bind(List<String> template, List<String> request) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      if (t.startsWith("{") && t.endsWith("+}")) {
        if (i >= request.size()) {
          return null;
        }
        params.put(t.substring(1, t.length() - 2), decode(String.join("/", request.subList(i, request.size()))));
        return params;
      }
      if (i >= request.size()) {
        return null;
      }
      String r = request.get(i);
      if (t.startsWith("{") && t.endsWith("}")) {
        if (r.isEmpty()) {
          return null;
        }
        params.put(t.substring(1, t.length() - 1), decode(r));
      } else if (!t.equals(decode(r))) {
        return null;
      }
    }
    return template.size() == request.size() ? params : null;
  }

  private static List<String> segments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.isEmpty()) {
      return List.of();
    }
    return List.of(p.split("/", -1));
  }

  private static String decode(String segment) {
    try {
      // a path segment: '+' is a plus, not a space
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return segment;
    }
  }

  private static int compareRanks(int[] a, int[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n - 1 && i < Math.min(a.length - 1, b.length - 1); i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    if (a.length != b.length) {
      return Integer.compare(a.length, b.length);
    }
    return Integer.compare(a[a.length - 1], b[b.length - 1]);
  }
}
