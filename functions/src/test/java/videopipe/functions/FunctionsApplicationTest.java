package videopipe.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * A Lambda's context holds only the function it runs: SCF instantiates every registered function
 * on its first lookup, so each extra one costs the cold start its beans and clients. Nothing is
 * built here (the beans are lazy), so no AWS endpoint is needed.
 */
class FunctionsApplicationTest {

  @Test
  void registersOnlyTheFunctionTheLambdaSelects() {
    assertThat(functionsRegisteredFor("validateUpload")).containsExactly("validateUpload");
  }

  @Test
  void registersEveryFunctionOfAComposition() {
    assertThat(functionsRegisteredFor("validateUpload|publishVideo"))
        .containsExactlyInAnyOrder("validateUpload", "publishVideo");
  }

  @Test
  void registersAnApiRouteAlone() {
    assertThat(functionsRegisteredFor("createUpload")).containsExactly("createUpload");
  }

  @Test
  void registersAllFunctionsWithoutADefinition() {
    assertThat(functionsRegisteredFor(null)).containsExactlyInAnyOrderElementsOf(FunctionsApplication.FUNCTIONS);
  }

  @Test
  void registersAllFunctionsWhenTheDefinitionNamesOneThatIsNotOurs() {
    // Let SCF report the unknown name as it always has, with every function of ours to choose from.
    assertThat(functionsRegisteredFor("validateUpload|somethingElse"))
        .containsExactlyInAnyOrderElementsOf(FunctionsApplication.FUNCTIONS);
  }

  private static String[] functionsRegisteredFor(String definition) {
    try (GenericApplicationContext context = new GenericApplicationContext()) {
      if (definition != null) {
        context.getEnvironment().getPropertySources().addFirst(
            new MapPropertySource("lambda", Map.of("spring.cloud.function.definition", definition)));
      }
      new FunctionsApplication().initialize(context);
      return context.getBeanDefinitionNames();
    }
  }
}
