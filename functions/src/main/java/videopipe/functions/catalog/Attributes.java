package videopipe.functions.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts the records later steps hand to the catalog (metadata, outputs, captions) to DynamoDB
 * maps and back, through their JSON shape: the catalog stores what the state machine passed, with
 * the same field names, so an operator reading the item sees the same words as in the execution.
 */
final class Attributes {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Attributes() {}

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  /** A record, map, list or scalar as an attribute value; nulls inside maps are left out. */
  static AttributeValue of(Object value) {
    if (value == null) {
      return AttributeValue.fromNul(true);
    }
    if (value instanceof String s) {
      return AttributeValue.fromS(s);
    }
    if (value instanceof Boolean b) {
      return AttributeValue.fromBool(b);
    }
    if (value instanceof Number number) {
      return AttributeValue.fromN(new BigDecimal(number.toString()).toPlainString());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, AttributeValue> m = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (v != null) {
          m.put(k.toString(), of(v));
        }
      });
      return AttributeValue.fromM(m);
    }
    if (value instanceof List<?> list) {
      List<AttributeValue> l = new ArrayList<>(list.size());
      list.forEach(v -> l.add(of(v)));
      return AttributeValue.fromL(l);
    }
    if (value instanceof Enum<?> e) {
      return AttributeValue.fromS(e.name());
    }
    return of(JSON.convertValue(value, Object.class));
  }

  /** The plain Java value of an attribute: String, BigDecimal, Boolean, Map, List or null. */
  static Object plain(AttributeValue value) {
    if (value == null || Boolean.TRUE.equals(value.nul())) {
      return null;
    }
    if (value.s() != null) {
      return value.s();
    }
    if (value.n() != null) {
      BigDecimal d = new BigDecimal(value.n());
      return d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
          ? (Object) d.longValueExact()
          : (Object) d.doubleValue();
    }
    if (value.bool() != null) {
      return value.bool();
    }
    if (value.hasM()) {
      Map<String, Object> m = new LinkedHashMap<>();
      value.m().forEach((k, v) -> m.put(k, plain(v)));
      return m;
    }
    if (value.hasL()) {
      List<Object> l = new ArrayList<>(value.l().size());
      value.l().forEach(v -> l.add(plain(v)));
      return l;
    }
    throw new IllegalArgumentException("unsupported attribute type: " + value.type());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> plainMap(AttributeValue value) {
    return (Map<String, Object>) plain(value);
  }

  @SuppressWarnings("unchecked")
  static List<Object> plainList(AttributeValue value) {
    return (List<Object>) plain(value);
  }

  /** Converts a stored map back to a record of the given type. */
  static <T> T as(Map<String, Object> stored, Class<T> type) {
    return stored == null ? null : JSON.convertValue(stored, type);
  }
}
