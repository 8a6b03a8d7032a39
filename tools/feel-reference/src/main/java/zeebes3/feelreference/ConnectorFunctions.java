package zeebes3.feelreference;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.feel.context.Context;
import org.camunda.feel.context.JavaFunction;
import org.camunda.feel.context.JavaFunctionProvider;
import org.camunda.feel.syntaxtree.Val;
import org.camunda.feel.syntaxtree.ValContext;
import org.camunda.feel.syntaxtree.ValDayTimeDuration;
import org.camunda.feel.syntaxtree.ValNumber;
import org.camunda.feel.syntaxtree.ValString;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The connector runtime's error functions, {@code bpmnError}, {@code jobError} and {@code
 * ignoreError}, building the same contexts as Camunda's connector runtime (and as
 * connector/feel/functions_connector.py). A wrong argument fails the evaluation, as Camunda's do.
 */
final class ConnectorFunctions extends JavaFunctionProvider {

  private static final Val EMPTY = context(new LinkedHashMap<>());
  private static final Val ZERO = new ValNumber(new scala.math.BigDecimal(java.math.BigDecimal.ZERO));
  private static final Val NO_BACKOFF = new ValDayTimeDuration(Duration.ZERO);

  private static final Map<String, List<JavaFunction>> FUNCTIONS =
      Map.of(
          "bpmnError",
          List.of(
              function(List.of("errorCode"), a -> bpmnError(a.get(0), null, null)),
              function(List.of("errorCode", "errorMessage"), a -> bpmnError(a.get(0), a.get(1), null)),
              function(
                  List.of("errorCode", "errorMessage", "variables"),
                  a -> bpmnError(a.get(0), a.get(1), a.get(2)))),
          "jobError",
          List.of(
              function(List.of("errorMessage"), a -> jobError(a.get(0), EMPTY, ZERO, NO_BACKOFF)),
              function(
                  List.of("errorMessage", "variables"),
                  a -> jobError(a.get(0), a.get(1), ZERO, NO_BACKOFF)),
              function(
                  List.of("errorMessage", "variables", "retries"),
                  a -> jobError(a.get(0), a.get(1), a.get(2), NO_BACKOFF)),
              function(
                  List.of("errorMessage", "variables", "retries", "retryBackoff"),
                  a -> jobError(a.get(0), a.get(1), a.get(2), a.get(3)))),
          "ignoreError",
          List.of(
              function(List.of(), a -> context(entries("errorType", new ValString("ignoreError")))),
              function(
                  List.of("variables"),
                  a -> {
                    Map<String, Val> map = entries("errorType", new ValString("ignoreError"));
                    map.put("variables", check(a.get(0), ValContext.class, "ignoreError", "variables"));
                    return context(map);
                  })));

  private static JavaFunction function(
      List<String> params, java.util.function.Function<List<Val>, Val> body) {
    return new JavaFunction(params, body);
  }

  private static Val bpmnError(Val code, Val message, Val variables) {
    Map<String, Val> map = entries("errorType", new ValString("bpmnError"));
    map.put("errorCode", check(code, ValString.class, "bpmnError", "errorCode"));
    if (message != null) {
      map.put("errorMessage", check(message, ValString.class, "bpmnError", "errorMessage"));
    }
    if (variables != null) {
      map.put("variables", check(variables, ValContext.class, "bpmnError", "variables"));
    }
    return context(map);
  }

  private static Val jobError(Val message, Val variables, Val retries, Val backoff) {
    Map<String, Val> map = entries("errorType", new ValString("jobError"));
    map.put("errorMessage", check(message, ValString.class, "jobError", "errorMessage"));
    map.put("variables", check(variables, ValContext.class, "jobError", "variables"));
    map.put("retries", check(retries, ValNumber.class, "jobError", "retries"));
    map.put("retryBackoff", check(backoff, ValDayTimeDuration.class, "jobError", "retryBackoff"));
    return context(map);
  }

  private static Val check(Val value, Class<? extends Val> kind, String function, String parameter) {
    if (!kind.isInstance(value)) {
      throw new IllegalArgumentException(
          "Parameter '" + parameter + "' of function '" + function + "' has the wrong type");
    }
    return value;
  }

  private static Map<String, Val> entries(String key, Val value) {
    Map<String, Val> map = new LinkedHashMap<>();
    map.put(key, value);
    return map;
  }

  private static Val context(Map<String, Val> entries) {
    Map<String, Object> variables = new LinkedHashMap<>(entries);
    return new ValContext(
        new Context.StaticContext(
            scala.collection.immutable.Map.from(CollectionConverters.asScala(variables)),
            scala.collection.immutable.Map.from(CollectionConverters.asScala(Map.of()))));
  }

  @Override
  public Optional<JavaFunction> resolveFunction(String name) {
    return resolveFunctions(name).stream().findFirst();
  }

  @Override
  public List<JavaFunction> resolveFunctions(String name) {
    return FUNCTIONS.getOrDefault(name, List.of());
  }

  @Override
  public Collection<String> getFunctionNames() {
    return FUNCTIONS.keySet();
  }
}
