package videopipe.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {

  private static Args parse(String... argv) throws CommandError {
    return Args.parse(List.of(argv), Set.of("--user"), Set.of(), Set.of("--wait"));
  }

  @Test
  void readsOptionsFlagsAndPositionalsInAnyOrder() throws CommandError {
    Args args = parse("a", "--user", "alice", "--wait", "b");

    assertThat(args.positional()).containsExactly("a", "b");
    assertThat(args.value("--user", null)).isEqualTo("alice");
    assertThat(args.flag("--wait")).isTrue();
  }

  @Test
  void refusesAnUnknownOptionNamingIt() {
    assertThatThrownBy(() -> parse("-AbCdEf")).isInstanceOfSatisfying(CommandError.class, e -> {
      assertThat(e.getMessage()).isEqualTo("unknown option -AbCdEf");
      assertThat(e.exitCode()).isEqualTo(2);
    });
  }

  @Test
  void takesEverythingAfterADoubleDashAsPositional() throws CommandError {
    Args args = parse("--user", "bob", "--", "-AbCdEf", "--wait");

    assertThat(args.positional()).containsExactly("-AbCdEf", "--wait");
    assertThat(args.value("--user", null)).isEqualTo("bob");
    assertThat(args.flag("--wait")).isFalse();
  }
}
