package dev.runtimeplane.declarative;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.saga.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates one definition (JSON, or YAML when the source ends in {@code .yaml}/{@code .yml}):
 * syntax, the format's JSON Schema, then the checks beyond syntax (payload schema and example, template
 * compilation and references, hosts on the allow-list, timeouts inside the deadline, reserved headers,
 * retry settings). Every problem is collected; any error fails the whole definition.
 */
public final class DefinitionParser {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Headers the runtime sets itself; a definition may not set them. */
    static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type", "transfer-encoding",
            "connection", "idempotency-key", "x-runtime-execution", "x-runtime-step", "x-runtime-attempt",
            "x-runtime-fencing-token", "x-runtime-compensation");

    private final OutboundPolicy policy;

    public DefinitionParser(OutboundPolicy policy) {
        this.policy = policy;
    }

    /** The definition in {@code text}, named {@code source} in problems; throws {@link DefinitionException}. */
    public ParsedDefinition parse(String source, String text) {
        LocatedJson document = LocatedJsonReader.read(source, text);
        return new Run(source, document).parse();
    }

    /** One parse: collects problems against the document's lines. */
    private final class Run {
        private final String source;
        private final LocatedJson document;
        private final List<DefinitionProblem> problems = new ArrayList<>();
        private final ReferenceProbe probe = new ReferenceProbe();

        Run(String source, LocatedJson document) {
            this.source = source;
            this.document = document;
        }

        ParsedDefinition parse() {
            JsonNode root = document.root();
            for (JsonSchemas.Violation violation : JsonSchemas.validateFormat(root)) {
                error(violation.pointer(), violation.message());
            }
            if (hasErrors()) {
                throw new DefinitionException(sorted());
            }
            JsonNode example = root.get("examplePayload");
            JsonNode payloadSchema = root.get("payloadSchema");
            PayloadSchema compiled = payloadSchema == null ? null : compilePayloadSchema(payloadSchema, example);
            Duration deadline = root.has("deadline") ? Durations.parse(root.get("deadline").asText()) : null;

            List<String> stepNames = new ArrayList<>();
            JsonNode stepsNode = root.get("steps");
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < stepsNode.size(); i++) {
                String name = stepsNode.get(i).get("name").asText();
                if (!seen.add(name)) {
                    error("/steps/" + i + "/name", "step name '" + name + "' is used twice");
                }
                stepNames.add(name);
            }
            Probes probes = new Probes(example == null ? null : Json.toPlain(example),
                    payloadFields(payloadSchema, example), stepNames);
            List<StepDefinition> steps = new ArrayList<>();
            for (int i = 0; i < stepsNode.size(); i++) {
                steps.add(step(stepsNode.get(i), i, deadline, probes));
            }
            if (hasErrors()) {
                throw new DefinitionException(sorted());
            }
            IntentDefinition definition = new IntentDefinition(source, root.get("intentType").asText(),
                    root.get("version").asInt(), root.path("description").asText(""), example, compiled,
                    steps, deadline);
            return new ParsedDefinition(definition, sorted());
        }

        /** What the reference probes of every step are built from. */
        private record Probes(Object examplePayload, Set<String> payloadFields, List<String> stepNames) {
            Map<String, Object> input(ReferenceProbe probe, int stepIndex, boolean ownResult) {
                return probe.stepInput(examplePayload, payloadFields, payloadFields == null, stepNames, stepIndex,
                        ownResult);
            }
        }

        private StepDefinition step(JsonNode step, int index, Duration deadline, Probes probes) {
            String at = "/steps/" + index;
            String name = probes.stepNames().get(index);
            Duration timeout = step.has("timeout") ? Durations.parse(step.get("timeout").asText()) : DEFAULT_TIMEOUT;
            if (deadline != null && timeout.compareTo(deadline) > 0) {
                error(step.has("timeout") ? at + "/timeout" : at, "the step's timeout " + text(timeout)
                        + " cannot fit inside the deadline " + text(deadline));
            }
            HttpCall action = call(step.get("action"), at + "/action", probes.input(probe, index, false), true);
            HttpCall compensation = step.has("compensation")
                    ? call(step.get("compensation"), at + "/compensation", probes.input(probe, index, true), false)
                    : null;
            if (action != null && compensation == null && action.changesData()) {
                warning(at, "step " + name + " changes data (" + action.method()
                        + ") and has no compensation: a later failure cannot undo it");
            }
            RetryPolicy retry = retry(step.get("retry"), at + "/retry", RetryPolicy.defaults());
            RetryPolicy compensationRetry = retry(step.get("compensationRetry"), at + "/compensationRetry",
                    RetryPolicy.compensationDefaults());
            return new StepDefinition(name, action, compensation, timeout, retry, compensationRetry);
        }

        private PayloadSchema compilePayloadSchema(JsonNode schema, JsonNode example) {
            List<String> refs = new ArrayList<>();
            collectRemoteReferences(schema, "/payloadSchema", refs);
            if (!refs.isEmpty()) {
                return null;
            }
            Schema compiled;
            try {
                compiled = JsonSchemas.compile(schema);
            } catch (RuntimeException e) {
                error("/payloadSchema", "the payload schema is not a valid JSON Schema: " + e.getMessage());
                return null;
            }
            if (example != null) {
                try {
                    for (JsonSchemas.Violation v : JsonSchemas.validate(compiled, example)) {
                        error("/examplePayload" + v.pointer(), "the example payload does not match the payload schema: "
                                + v.message());
                    }
                } catch (RuntimeException e) {
                    error("/payloadSchema", "the payload schema cannot be applied: " + e.getMessage());
                }
            }
            return new PayloadSchema(schema, compiled);
        }

        /** Only references inside the schema itself: the loader must never fetch from the network or disk. */
        private void collectRemoteReferences(JsonNode node, String at, List<String> refs) {
            if (node.isObject()) {
                node.properties().forEach(field -> {
                    String child = Pointers.child(at, field.getKey());
                    JsonNode value = field.getValue();
                    if ((field.getKey().equals("$ref") || field.getKey().equals("$dynamicRef")) && value.isTextual()
                            && !value.textValue().startsWith("#")) {
                        refs.add(value.textValue());
                        error(child, "only local references ('#...') are allowed in a payload schema, not '"
                                + value.textValue() + "'");
                    } else if (field.getKey().equals("$schema") && value.isTextual()
                            && !value.textValue().startsWith("https://json-schema.org/draft/2020-12/schema")) {
                        refs.add(value.textValue());
                        error(child, "payload schemas use JSON Schema 2020-12; '" + value.textValue()
                                + "' is not supported");
                    } else {
                        collectRemoteReferences(value, child, refs);
                    }
                });
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    collectRemoteReferences(node.get(i), Pointers.index(at, i), refs);
                }
            }
        }

        /** The payload's known top-level fields (schema properties and the example's), or null when open. */
        private Set<String> payloadFields(JsonNode schema, JsonNode example) {
            Set<String> fields = new LinkedHashSet<>();
            boolean closedBySchema = schema != null && schema.has("properties");
            if (closedBySchema) {
                schema.get("properties").fieldNames().forEachRemaining(fields::add);
            }
            if (example != null && example.isObject()) {
                example.fieldNames().forEachRemaining(fields::add);
            }
            if (!closedBySchema && (example == null || !example.isObject())) {
                return null;
            }
            if (closedBySchema && schema.path("additionalProperties").isObject()) {
                return null;
            }
            return fields;
        }

        private HttpCall call(JsonNode node, String at, Map<String, Object> probeInput, boolean isAction) {
            int before = problems.size();
            String method = node.get("method").asText().toUpperCase(Locale.ROOT);
            String url = node.get("url").asText();
            Template urlTemplate = template(url, at + "/url");
            Endpoint endpoint = endpoint(url, at + "/url");
            if (endpoint != null && !policy.permits(endpoint)) {
                error(at + "/url", endpoint + " is not on the outbound allow-list");
            }
            Map<String, Template> headers = new LinkedHashMap<>();
            Map<String, HttpCall.SecretHeader> secretHeaders = new LinkedHashMap<>();
            if (node.has("headers")) {
                node.get("headers").properties().forEach(field -> {
                    String name = field.getKey();
                    String headerAt = Pointers.child(at + "/headers", name);
                    if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                        error(headerAt, "header " + name + " is set by the runtime and cannot be defined");
                    } else if (field.getValue().isObject()) {
                        JsonNode secret = field.getValue();
                        secretHeaders.put(name, new HttpCall.SecretHeader(secret.get("secret").asText(),
                                secret.path("prefix").asText("")));
                    } else {
                        Template header = template(field.getValue().asText(), headerAt);
                        if (header != null) {
                            headers.put(name, header);
                        }
                    }
                });
            }
            JsonTemplate body = null;
            if (node.has("body")) {
                body = JsonTemplate.compile(node.get("body"), at + "/body", this::error);
            }
            Expression result = null;
            if (node.has("result")) {
                if (!isAction) {
                    error(at + "/result", "a compensation has no result");
                } else {
                    try {
                        result = Expression.compile(node.get("result").asText());
                    } catch (TemplateException e) {
                        error(at + "/result", e.getMessage());
                    }
                }
            }
            ResponseRules responses = responses(node.get("responses"));
            if (problems.size() > before && problems.subList(before, problems.size()).stream()
                    .anyMatch(DefinitionProblem::isError)) {
                return null;
            }
            checkReferences(urlTemplate, at + "/url", probeInput);
            headers.forEach((name, template) ->
                    checkReferences(template, Pointers.child(at + "/headers", name), probeInput));
            if (body != null) {
                body.templates().forEach((pointer, template) ->
                        checkReferences(template, at + "/body" + pointer, probeInput));
            }
            if (result != null) {
                try {
                    result.evaluate(probe.responseInput());
                } catch (TemplateException e) {
                    error(at + "/result", e.getMessage());
                }
                for (String unresolved : probe.drain()) {
                    error(at + "/result", "cannot resolve " + unresolved + " (a result selector sees body, status, headers)");
                }
            }
            return new HttpCall(method, urlTemplate, endpoint, headers, secretHeaders, body, result, responses);
        }

        private void checkReferences(Template template, String at, Map<String, Object> probeInput) {
            try {
                template.probe(probeInput);
            } catch (TemplateException e) {
                error(at, "fails on the example payload: " + e.getMessage());
            }
            for (String unresolved : probe.drain()) {
                error(at, "cannot resolve " + unresolved);
            }
        }

        private Template template(String text, String at) {
            try {
                return Template.compile(text);
            } catch (TemplateException e) {
                error(at, e.getMessage());
                return null;
            }
        }

        /** The literal scheme, host and port before the first template (the format's pattern keeps them literal). */
        private Endpoint endpoint(String url, String at) {
            int templateAt = url.indexOf("{%");
            String literal = templateAt < 0 ? url : url.substring(0, templateAt);
            int pathAt = literal.indexOf('/', literal.indexOf("//") + 2);
            String authority = pathAt < 0 ? literal : literal.substring(0, pathAt);
            try {
                URI uri = new URI(authority);
                if (uri.getHost() == null || uri.getRawUserInfo() != null) {
                    error(at, "'" + authority + "' is not scheme://host[:port] (no user info)");
                    return null;
                }
                return Endpoint.of(uri);
            } catch (Exception e) {
                error(at, "'" + authority + "' is not scheme://host[:port]: " + e.getMessage());
                return null;
            }
        }

        private ResponseRules responses(JsonNode node) {
            if (node == null) {
                return ResponseRules.DEFAULTS;
            }
            ResponseRules defaults = ResponseRules.DEFAULTS;
            return new ResponseRules(strings(node.get("success"), defaults.success()),
                    strings(node.get("retry"), defaults.retry()),
                    node.path("retryConnectionErrors").asBoolean(defaults.retryConnectionErrors()),
                    node.path("retryTimeouts").asBoolean(defaults.retryTimeouts()));
        }

        private static List<String> strings(JsonNode array, List<String> otherwise) {
            if (array == null) {
                return otherwise;
            }
            List<String> values = new ArrayList<>();
            array.forEach(value -> values.add(value.asText()));
            return values;
        }

        /** The policy as written over {@code defaults}; a call refused for good is never retried. */
        private RetryPolicy retry(JsonNode node, String at, RetryPolicy defaults) {
            JsonNode settings = node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
            try {
                return RetryPolicy.builder()
                        .maxAttempts(settings.path("maxAttempts").asInt(defaults.maxAttempts()))
                        .initialBackoff(settings.has("initialBackoff")
                                ? Durations.parse(settings.get("initialBackoff").asText()) : defaults.initialBackoff())
                        .maxBackoff(settings.has("maxBackoff")
                                ? Durations.parse(settings.get("maxBackoff").asText()) : defaults.maxBackoff())
                        .multiplier(settings.path("multiplier").asDouble(defaults.multiplier()))
                        .jitter(settings.path("jitter").asDouble(defaults.jitter()))
                        .nonRetryable(HttpStepException.Permanent.class)
                        .build();
            } catch (InvalidArgumentException e) {
                error(at + e.field().map(field -> "/" + field).orElse(""), e.getMessage());
                return defaults;
            }
        }

        private void error(String pointer, String message) {
            problems.add(new DefinitionProblem(source, document.lineOf(pointer), Pointers.toJsonPath(pointer), message,
                    DefinitionProblem.Severity.ERROR));
        }

        private void warning(String pointer, String message) {
            problems.add(new DefinitionProblem(source, document.lineOf(pointer), Pointers.toJsonPath(pointer), message,
                    DefinitionProblem.Severity.WARNING));
        }

        private boolean hasErrors() {
            return problems.stream().anyMatch(DefinitionProblem::isError);
        }

        private List<DefinitionProblem> sorted() {
            return problems.stream().sorted(java.util.Comparator.comparingInt(DefinitionProblem::line)).toList();
        }

        private static String text(Duration duration) {
            return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
        }
    }
}
