package videopipe.statemachines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import videopipe.statemachines.asl.InvalidDefinition;
import videopipe.statemachines.asl.QueryLanguage;

/** The loader Pulumi and the local stack share: every placeholder filled, nothing extra, and a valid result. */
class StateMachineDefinitionsTest {

  static Map<String, String> arns() {
    Map<String, String> m = new HashMap<>();
    for (String f : new String[] {"ValidateUpload", "ExtractMetadata", "SubmitTranscode", "AttachCaptions", "PublishVideo"}) {
      m.put(f + "Arn", "arn:aws:lambda:us-east-1:123456789012:function:videopipe-dev-" + f);
    }
    return m;
  }

  @Test
  void loadsVideoIngestWithEveryFunctionArn() {
    StateMachineDefinitions.Loaded loaded = StateMachineDefinitions.load("video-ingest", arns());
    assertThat(loaded.json()).doesNotContain("${").contains("videopipe-dev-PublishVideo");
    assertThat(loaded.definition().queryLanguage()).isEqualTo(QueryLanguage.JSONATA);
    assertThat(loaded.definition().states()).containsKeys("Validate", "Process", "Publish");
  }

  @Test
  void namesAPlaceholderLeftWithoutAValue() {
    Map<String, String> values = arns();
    values.remove("PublishVideoArn");
    assertThatThrownBy(() -> StateMachineDefinitions.load("video-ingest", values))
        .hasMessage("'video-ingest': no value for [PublishVideoArn]");
  }

  @Test
  void namesAValueForNoPlaceholder() {
    Map<String, String> values = arns();
    values.put("CatalogTable", "videos");
    assertThatThrownBy(() -> StateMachineDefinitions.load("video-ingest", values))
        .hasMessage("'video-ingest': values for placeholders it does not have: [CatalogTable]");
  }

  @Test
  void escapesValuesAsJsonString() {
    StateMachineDefinitions.Loaded l = StateMachineDefinitions.substitute("t",
        "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Result\": \"${Name}\", \"End\": true}}}",
        Map.of("Name", "say \"hi\""));
    assertThat(l.json()).contains("\"say \\\"hi\\\"\"");
  }

  @Test
  void validatesTheResultWithTheEngine() {
    assertThatThrownBy(() -> StateMachineDefinitions.substitute("t",
        "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Task\", \"Resource\": \"${Arn}\", \"End\": true}}}",
        Map.of("Arn", "not-an-arn")))
        .isInstanceOf(InvalidDefinition.class).hasMessageContaining("/States/P/Resource");
  }
}
