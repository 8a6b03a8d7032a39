package zeebes3.feelreference;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.feel.FeelEngineClock;
import org.camunda.feel.api.EvaluationResult;
import org.camunda.feel.api.FeelEngineApi;
import org.camunda.feel.api.FeelEngineBuilder;
import org.camunda.feel.impl.JavaValueMapper;

/**
 * Camunda's FEEL engine as a line-oriented process, so one JVM answers thousands of cases.
 *
 * <p>Each line on stdin is a JSON request; each answer is one JSON line on stdout:
 *
 * <pre>
 *   {"expression": "...", "context": {...}, "now": "2024-06-15T12:00:00Z"}
 *       -> {"ok": true, "value": ...} or {"ok": false, "error": "..."}
 *   {"op": "duration-ms", "text": "PT1.5S"}
 *       -> {"ok": true, "value": 1500} or {"ok": false, "error": "..."}   (Duration.parse + toMillis)
 * </pre>
 *
 * <p>The engine is built as Camunda's connector runtime builds it (JavaValueMapper, the connector
 * functions). The context is read as the Zeebe client reads job variables (plain Jackson: whole
 * numbers as Integer/Long, others as Double), and the result is written by a mapper configured like
 * the runtime's ConnectorsObjectMapperSupplier (Jdk8Module, JavaTimeModule, dates and durations not
 * as timestamps), which is how a result leaves the runtime as job variables. "now" fixes the clock
 * of now() and today() for the request.
 */
public final class FeelReference {

  private static final ObjectMapper READER =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private static final ObjectMapper RESULTS =
      JsonMapper.builder()
          .addModules(new Jdk8Module(), new JavaTimeModule())
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .build();

  private final SettableClock clock = new SettableClock();
  private final FeelEngineApi engine =
      FeelEngineBuilder.forJava()
          .withCustomValueMapper(new JavaValueMapper())
          .withFunctionProvider(new ConnectorFunctions())
          .withClock(clock)
          .build();

  public static void main(String[] args) throws Exception {
    FeelReference reference = new FeelReference();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      ObjectNode answer;
      try {
        answer = reference.answer(READER.readTree(line));
      } catch (Exception | StackOverflowError e) {
        answer = failure(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      out.println(RESULTS.writeValueAsString(answer));
    }
  }

  private ObjectNode answer(JsonNode request) throws Exception {
    if ("duration-ms".equals(request.path("op").asText())) {
      return success(READER.valueToTree(Duration.parse(request.get("text").asText()).toMillis()));
    }
    clock.set(request.hasNonNull("now") ? ZonedDateTime.parse(request.get("now").asText()) : null);
    Map<String, Object> context = new LinkedHashMap<>();
    if (request.hasNonNull("context")) {
      context = READER.convertValue(request.get("context"), Map.class);
    }
    EvaluationResult result = engine.evaluateExpression(request.get("expression").asText(), context);
    if (result.isFailure()) {
      return failure(result.failure().message());
    }
    // written to text and read back, as the variables travel to Zeebe
    return success(READER.readTree(RESULTS.writeValueAsString(result.result())));
  }

  private static ObjectNode success(JsonNode value) {
    ObjectNode node = READER.createObjectNode();
    node.put("ok", true);
    node.set("value", value);
    return node;
  }

  private static ObjectNode failure(String message) {
    ObjectNode node = READER.createObjectNode();
    node.put("ok", false);
    node.put("error", message);
    return node;
  }

  /** The clock of now() and today(): fixed per request when the request says so. */
  private static final class SettableClock implements FeelEngineClock {
    private volatile ZonedDateTime fixed;

    void set(ZonedDateTime time) {
      fixed = time;
    }

    @Override
    public ZonedDateTime getCurrentTime() {
      ZonedDateTime time = fixed;
      return time != null ? time : ZonedDateTime.now();
    }
  }
}
