package videopipe.statemachines.asl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a resource, retrying and catching its errors. {@code TimeoutSeconds} defaults to
 * 99999999, AWS's "no timeout" for Standard workflows. In JSONPath, {@code TimeoutSecondsPath}
 * and {@code HeartbeatSecondsPath} take either from the state's input instead (each excludes its
 * static twin), a positive integer once resolved.
 */
public record TaskState(String name, QueryLanguage queryLanguage, Resource resource, Io io, List<Retrier> retry,
                        List<Catcher> catchers, long timeoutSeconds, java.util.Optional<Long> heartbeatSeconds,
                        Optional<DataPath> timeoutSecondsPath, Optional<DataPath> heartbeatSecondsPath,
                        Transition then) implements State {

  public static final long NO_TIMEOUT = 99_999_999L;

  @Override
  public String type() {
    return "Task";
  }

  static TaskState parse(String name, Obj o, QueryLanguage language) {
    Set<String> notYet = Set.of("HeartbeatSecondsPath", "TimeoutSecondsPath", "Credentials");
    if (language == QueryLanguage.JSONPATH) {
      Set<String> all = new java.util.HashSet<>(State.JSONPATH_NOT_YET);
      all.add("Credentials");
      o.allowOnly(State.fields(Set.of("Next", "End", "Resource", "InputPath", "Parameters", "ResultSelector",
          "ResultPath", "OutputPath", "Retry", "Catch", "TimeoutSeconds", "HeartbeatSeconds", "TimeoutSecondsPath",
          "HeartbeatSecondsPath")), all, "by a JSONPath Task state");
    } else {
      o.allowOnly(State.fields(Set.of("Next", "End", "Resource", "Arguments", "Output", "Assign", "Retry", "Catch",
          "TimeoutSeconds", "HeartbeatSeconds")), notYet, "by a JSONata Task state");
    }
    Optional<Resource> resource = Resource.parse(o);
    Io io = Io.parse(o, language);
    long timeout = o.integer("TimeoutSeconds", 1, NO_TIMEOUT).orElse(NO_TIMEOUT);
    java.util.Optional<Long> heartbeat = o.integer("HeartbeatSeconds", 1, NO_TIMEOUT);
    if (heartbeat.isPresent() && heartbeat.get() >= timeout) {
      o.problems.schema(o.at("HeartbeatSeconds"), "must be smaller than TimeoutSeconds (" + timeout + ")");
    }
    Optional<DataPath> timeoutPath = Optional.empty();
    Optional<DataPath> heartbeatPath = Optional.empty();
    if (language == QueryLanguage.JSONPATH) {
      timeoutPath = secondsPath(o, "TimeoutSecondsPath", "TimeoutSeconds");
      heartbeatPath = secondsPath(o, "HeartbeatSecondsPath", "HeartbeatSeconds");
    }

    return new TaskState(name, language, resource.orElse(new Resource.LambdaInvoke(false)), io, retry(o),
        catchers(o, language), timeout, heartbeat, timeoutPath, heartbeatPath, Transitions.read(o));
  }

  /** {@code TimeoutSecondsPath} or {@code HeartbeatSecondsPath}: a path (not null), never beside its static twin. */
  private static Optional<DataPath> secondsPath(Obj o, String field, String twin) {
    if (o.get(field) == null) {
      return Optional.empty();
    }
    if (o.get(twin) != null) {
      o.problems.schema(o.at(field), "cannot be used together with " + twin);
    }
    if (o.get(field).isNull()) {
      o.problems.schema(o.at(field), "must be a JSONPath string");
      return Optional.empty();
    }
    return DataPath.field(o, field, DataPath.Kind.PATH);
  }

  /** {@code Retry}, for Task and Parallel. */
  static List<Retrier> retry(Obj o) {
    List<Retrier> retry = new ArrayList<>();
    List<ErrorEquals> errors = new ArrayList<>();
    List<String> at = new ArrayList<>();
    for (Obj.Located item : o.array("Retry")) {
      Obj.of(item.node(), item.path(), o.problems).flatMap(Retrier::parse).ifPresent(r -> {
        retry.add(r);
        errors.add(r.errorEquals());
        at.add(item.path() + "/ErrorEquals");
      });
    }
    ErrorEquals.checkAllIsLast(errors, at, o.problems);
    return List.copyOf(retry);
  }

  /** {@code Catch}, for Task and Parallel. */
  static List<Catcher> catchers(Obj o, QueryLanguage language) {
    List<Catcher> catchers = new ArrayList<>();
    List<ErrorEquals> errors = new ArrayList<>();
    List<String> at = new ArrayList<>();
    for (Obj.Located item : o.array("Catch")) {
      Obj.of(item.node(), item.path(), o.problems).flatMap(c -> Catcher.parse(c, language)).ifPresent(c -> {
        catchers.add(c);
        errors.add(c.errorEquals());
        at.add(item.path() + "/ErrorEquals");
      });
    }
    ErrorEquals.checkAllIsLast(errors, at, o.problems);
    return List.copyOf(catchers);
  }
}
