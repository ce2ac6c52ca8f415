package videopipe.functions.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An event as EventBridge delivers it to a target: the envelope every service's event shares
 * (EventBridge user guide, "Amazon EventBridge events", event structure), around the service's own
 * {@code detail}, e.g. {@link ObjectCreated}. Unknown fields are ignored: AWS adds fields without
 * notice.
 *
 * <p>{@code D} is erased at run time, so whoever reads one must name it: a function taking one is
 * registered with its parameterised type (FunctionsApplication), a direct read passes a
 * {@code TypeReference}. Read as the raw class, {@code detail} would arrive as a Map.
 *
 * @param detailType the event's {@code detail-type}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventBridgeEvent<D>(
    String version,
    String id,
    @JsonProperty("detail-type") String detailType,
    String source,
    String account,
    String time,
    String region,
    List<String> resources,
    D detail) {

  /** Whether this is the event {@code detailType} from {@code source}, the pair a rule matches on. */
  public boolean is(String source, String detailType) {
    return source.equals(this.source) && detailType.equals(this.detailType);
  }
}
