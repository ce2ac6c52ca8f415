package videopipe.statemachines.asl;

/**
 * One thing wrong with a definition, where it is and why, in the shape of AWS's
 * {@code ValidateStateMachineDefinition} diagnostics ({@code code}, {@code location} as a JSON
 * pointer into the definition, {@code message}).
 */
public record Problem(String code, String location, String message) {

  /** AWS's code for a definition that breaks the language's schema. */
  public static final String SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED";
  /** AWS's code for a Next, Default or StartAt naming a state that does not exist. */
  public static final String MISSING_TRANSITION_TARGET = "MISSING_TRANSITION_TARGET";
  /** AWS's code for text that is not JSON at all. */
  public static final String INVALID_JSON_DESCRIPTION = "INVALID_JSON_DESCRIPTION";
  /**
   * Ours, not AWS's: a part of the language AWS accepts that this engine does not run yet. It is
   * refused rather than ignored so that a definition never behaves differently here and on AWS.
   */
  public static final String UNSUPPORTED_FEATURE = "UNSUPPORTED_FEATURE";

  @Override
  public String toString() {
    return location + ": " + message;
  }
}
