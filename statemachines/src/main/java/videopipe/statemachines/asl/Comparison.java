package videopipe.statemachines.asl;

import java.util.Optional;

/** A JSONPath Choice rule's comparison operator, e.g. {@code StringEquals} or {@code NumericLessThanPath}. */
public enum Comparison {
  STRING_EQUALS("StringEquals", Kind.STRING),
  STRING_LESS_THAN("StringLessThan", Kind.STRING),
  STRING_GREATER_THAN("StringGreaterThan", Kind.STRING),
  STRING_LESS_THAN_EQUALS("StringLessThanEquals", Kind.STRING),
  STRING_GREATER_THAN_EQUALS("StringGreaterThanEquals", Kind.STRING),
  STRING_MATCHES("StringMatches", Kind.STRING),
  NUMERIC_EQUALS("NumericEquals", Kind.NUMERIC),
  NUMERIC_LESS_THAN("NumericLessThan", Kind.NUMERIC),
  NUMERIC_GREATER_THAN("NumericGreaterThan", Kind.NUMERIC),
  NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Kind.NUMERIC),
  NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Kind.NUMERIC),
  BOOLEAN_EQUALS("BooleanEquals", Kind.BOOLEAN),
  TIMESTAMP_EQUALS("TimestampEquals", Kind.TIMESTAMP),
  TIMESTAMP_LESS_THAN("TimestampLessThan", Kind.TIMESTAMP),
  TIMESTAMP_GREATER_THAN("TimestampGreaterThan", Kind.TIMESTAMP),
  TIMESTAMP_LESS_THAN_EQUALS("TimestampLessThanEquals", Kind.TIMESTAMP),
  TIMESTAMP_GREATER_THAN_EQUALS("TimestampGreaterThanEquals", Kind.TIMESTAMP),
  IS_NULL("IsNull", Kind.TEST),
  IS_PRESENT("IsPresent", Kind.TEST),
  IS_NUMERIC("IsNumeric", Kind.TEST),
  IS_STRING("IsString", Kind.TEST),
  IS_BOOLEAN("IsBoolean", Kind.TEST),
  IS_TIMESTAMP("IsTimestamp", Kind.TEST);

  /** The type both sides must have for the comparison to hold; TEST operators take a boolean. */
  public enum Kind { STRING, NUMERIC, BOOLEAN, TIMESTAMP, TEST }

  private final String field;
  private final Kind kind;

  Comparison(String field, Kind kind) {
    this.field = field;
    this.kind = kind;
  }

  public String field() {
    return field;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether {@code field + "Path"} exists (every operator but StringMatches and the tests). */
  boolean hasPathForm() {
    return this != STRING_MATCHES && kind != Kind.TEST;
  }

  static Optional<Comparison> byField(String field) {
    for (Comparison c : values()) {
      if (c.field.equals(field)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
