package videopipe.localstack.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import videopipe.localstack.LocalClients;

/** The SDK's own EventBridge client must work against the local buses unchanged. */
class EventBridgeEmulatorTest {

  private static EventBridgeEmulator emulator;
  private static EventBridgeClient client;

  @BeforeAll
  static void start() throws Exception {
    emulator = EventBridgeEmulator.start(0, "us-east-1", "000000000000");
    client = LocalClients.at(EventBridgeClient.builder(), emulator.endpoint());
  }

  @AfterAll
  static void stop() {
    client.close();
    emulator.close();
  }

  @Test
  void deliversMatchingEventsInEventBridgeFormat() throws Exception {
    client.createEventBus(b -> b.name("deliver-bus"));
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    emulator.subscribe("deliver-bus", "{\"source\":[\"videopipe\"],\"detail-type\":[\"Video Ready\"]}", got::add);
    PutEventsResponse r = client.putEvents(b -> b.entries(
        e -> e.eventBusName("deliver-bus").source("videopipe").detailType("Video Ready").detail("{\"videoId\":\"v1\"}"),
        e -> e.eventBusName("deliver-bus").source("videopipe").detailType("Video Failed").detail("{\"videoId\":\"v2\"}")));
    assertThat(r.failedEntryCount()).isZero();
    assertThat(r.entries()).allSatisfy(e -> assertThat(e.eventId()).isNotBlank());
    String event = got.poll(10, TimeUnit.SECONDS);
    assertThat(event).contains("\"detail-type\":\"Video Ready\"", "\"source\":\"videopipe\"",
        "\"detail\":{\"videoId\":\"v1\"}", "\"account\":\"000000000000\"", "\"region\":\"us-east-1\"");
    assertThat(got.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(emulator.events("deliver-bus")).hasSize(2);
  }

  @Test
  void reportsMalformedDetailPerEntry() {
    PutEventsResponse r = client.putEvents(b -> b.entries(
        e -> e.source("videopipe").detailType("x").detail("{not json"),
        e -> e.source("videopipe").detailType("x").detail("{}")));
    assertThat(r.failedEntryCount()).isEqualTo(1);
    assertThat(r.entries().get(0).errorCode()).isEqualTo("InvalidArgument");
    assertThat(r.entries().get(1).eventId()).isNotBlank();
  }

  @Test
  void reportsUnknownBusPerEntry() {
    PutEventsResponse r = client.putEvents(b -> b.entries(
        e -> e.eventBusName("no-such-bus").source("videopipe").detailType("x").detail("{}")));
    assertThat(r.failedEntryCount()).isEqualTo(1);
    assertThat(r.entries().get(0).errorCode()).isEqualTo("NotFound");
  }

  @Test
  void refusesCreatingABusTwice() {
    client.createEventBus(b -> b.name("twice-bus"));
    assertThatThrownBy(() -> client.createEventBus(b -> b.name("twice-bus")))
        .isInstanceOf(ResourceAlreadyExistsException.class);
  }

  @Test
  void acceptsBusArnsAsNames() {
    client.createEventBus(b -> b.name("arn-bus"));
    PutEventsResponse r = client.putEvents(b -> b.entries(
        e -> e.eventBusName(emulator.busArn("arn-bus")).source("s").detailType("t").detail("{}")));
    assertThat(r.failedEntryCount()).isZero();
    assertThat(emulator.events("arn-bus")).hasSize(1);
  }

  @Test
  void listsTheDefaultBus() {
    List<String> names = client.listEventBuses(b -> {}).eventBuses().stream().map(b -> b.name()).toList();
    assertThat(names).contains("default");
  }
}
