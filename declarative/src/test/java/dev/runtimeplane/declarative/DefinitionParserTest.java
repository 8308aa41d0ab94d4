package dev.runtimeplane.declarative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading definitions and every validation rule: each problem names the file, the line and the JSON path. */
class DefinitionParserTest {

    private final DefinitionParser parser = new DefinitionParser(Definitions.defaultPolicy());

    @TempDir
    Path dir;

    private DefinitionProblem onlyError(String source, String text) {
        DefinitionException e = assertThrows(DefinitionException.class, () -> parser.parse(source, text));
        List<DefinitionProblem> errors = e.problems().stream().filter(DefinitionProblem::isError).toList();
        assertEquals(1, errors.size(), () -> "expected one error, got " + e.problems());
        return errors.getFirst();
    }

    private static int lineOf(String text, String fragment) {
        int at = text.indexOf(fragment);
        assertTrue(at >= 0, fragment);
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    @Test
    void theOrderFlowLoadsWithAWarningForTheStepWithoutCompensation() {
        ParsedDefinition parsed = parser.parse("order-flow.yaml", Definitions.orderFlow());
        IntentDefinition definition = parsed.definition();
        assertEquals("place-order", definition.intentType());
        assertEquals(1, definition.version());
        assertEquals(List.of("reserve", "charge", "ship"), definition.steps().stream().map(StepDefinition::name).toList());
        assertEquals(Duration.ofSeconds(30), definition.deadline());
        assertEquals(Duration.ofSeconds(5), definition.steps().getFirst().timeout());
        assertEquals(4, definition.steps().get(1).retry().maxAttempts());
        assertEquals(1, parsed.warnings().size(), parsed.warnings()::toString);
        DefinitionProblem warning = parsed.warnings().getFirst();
        assertEquals("$.steps[2]", warning.path());
        assertEquals(lineOf(Definitions.orderFlow(), "  - name: ship"), warning.line());
        assertTrue(warning.message().contains("no compensation"), warning.message());
    }

    @Test
    void aPayloadIsCheckedAgainstItsSchemaNamingTheField() {
        PayloadSchema schema = parser.parse("order-flow.yaml", Definitions.orderFlow()).definition().payloadSchema();
        assertEquals(List.of(), schema.validate(
                "{\"orderId\":\"o-1\",\"customerId\":\"c\",\"items\":[{\"sku\":\"a\",\"quantity\":1}],"
                        + "\"amount\":{\"value\":5,\"currency\":\"EUR\"},\"address\":{}}"));
        List<PayloadProblem> problems = schema.validate(
                "{\"orderId\":\"o-1\",\"customerId\":\"c\",\"items\":[{\"sku\":\"a\",\"quantity\":0}],"
                        + "\"amount\":{\"value\":5,\"currency\":\"euro\"}}");
        List<String> pointers = problems.stream().map(PayloadProblem::pointer).sorted().toList();
        assertEquals(List.of("/address", "/amount/currency", "/items/0/quantity"), pointers, problems::toString);
        assertEquals("", schema.validate("{not json").getFirst().pointer());
    }

    @Test
    void aSyntaxErrorNamesTheLine() {
        String text = "intentType: x\nversion: 1\nsteps:\n  - name: a\n    action: [unclosed\n";
        DefinitionProblem problem = onlyError("broken.yaml", text);
        assertEquals("broken.yaml", problem.source());
        assertTrue(problem.line() >= 5, problem::toString);
        assertTrue(problem.message().contains("not valid YAML"), problem::toString);
        DefinitionProblem json = onlyError("broken.json", "{\"intentType\": \"x\",\n \"version\": }");
        assertEquals(2, json.line(), json::toString);
    }

    @Test
    void aFormatErrorNamesThePathAndLine() {
        String text = Definitions.orderFlow().replace("timeout: 5s\n    retry: { maxAttempts: 4",
                "timeout: soon\n    retry: { maxAttempts: 4");
        DefinitionProblem problem = onlyError("order-flow.yaml", text);
        assertEquals("$.steps[1].timeout", problem.path());
        assertEquals(lineOf(text, "timeout: soon"), problem.line());
        DefinitionProblem unknown = onlyError("order-flow.yaml", Definitions.orderFlow().replace("deadline: 30s",
                "deadline: 30s\nsurprise: true"));
        assertTrue(unknown.message().contains("surprise"), unknown::toString);
        DefinitionProblem missing = onlyError("m.json", "{\"intentType\":\"x\",\"version\":1}");
        assertEquals("$.steps", missing.path(), missing::toString);
    }

    @Test
    void aReferenceToALaterStepsResultIsAnError() {
        String text = Definitions.orderFlow().replace("reservation: \"{% steps.reserve.reservationId %}\"",
                "reservation: \"{% steps.ship.trackingId %}\"");
        DefinitionProblem problem = onlyError("order-flow.yaml", text);
        assertEquals("$.steps[1].action.body.reservation", problem.path());
        assertEquals(lineOf(text, "reservation: \"{% steps.ship"), problem.line());
        assertTrue(problem.message().contains("steps.ship") && problem.message().contains("runs later"), problem::toString);
    }

    @Test
    void anUnknownFieldIsAnError() {
        String payload = Definitions.orderFlow().replace("X-Customer: \"{% payload.customerId %}\"",
                "X-Customer: \"{% payload.customer %}\"");
        DefinitionProblem problem = onlyError("order-flow.yaml", payload);
        assertEquals("$.steps[1].action.headers['X-Customer']", problem.path());
        assertEquals(lineOf(payload, "X-Customer:"), problem.line());
        assertTrue(problem.message().contains("payload.customer: no such field"), problem::toString);

        DefinitionProblem root = onlyError("order-flow.yaml", Definitions.orderFlow().replace(
                "tenant: \"{% session.tenant %}\"", "tenant: \"{% tenant %}\""));
        assertTrue(root.message().contains("cannot resolve tenant"), root::toString);
        DefinitionProblem session = onlyError("order-flow.yaml", Definitions.orderFlow().replace(
                "tenant: \"{% session.tenant %}\"", "tenant: \"{% session.user %}\""));
        assertTrue(session.message().contains("session.user"), session::toString);
    }

    @Test
    void anExpressionThatDoesNotParseIsAnError() {
        String text = Definitions.orderFlow().replace("orderId: \"{% payload.orderId %}\"\n        address",
                "orderId: \"{% payload.orderId + %}\"\n        address");
        DefinitionProblem problem = onlyError("order-flow.yaml", text);
        assertEquals("$.steps[2].action.body.orderId", problem.path());
        assertTrue(problem.message().contains("not a valid JSONata expression"), problem::toString);
        DefinitionProblem unclosed = onlyError("order-flow.yaml", Definitions.orderFlow().replace(
                "X-Customer: \"{% payload.customerId %}\"", "X-Customer: \"{% payload.customerId\""));
        assertTrue(unclosed.message().contains("never closed"), unclosed::toString);
    }

    @Test
    void aHostOutsideTheAllowListIsAnError() {
        String text = Definitions.orderFlow().replace("url: " + Definitions.SHIPPING + "/shipments",
                "url: http://10.1.2.3:8080/shipments");
        DefinitionProblem problem = onlyError("order-flow.yaml", text);
        assertEquals("$.steps[2].action.url", problem.path());
        assertEquals(lineOf(text, "http://10.1.2.3"), problem.line());
        assertTrue(problem.message().contains("http://10.1.2.3:8080 is not on the outbound allow-list"), problem::toString);
        DefinitionProblem templatedHost = onlyError("order-flow.yaml", Definitions.orderFlow().replace(
                "url: " + Definitions.SHIPPING + "/shipments", "url: \"http://{% payload.host %}/shipments\""));
        assertEquals("$.steps[2].action.url", templatedHost.path(), templatedHost::toString);
    }

    @Test
    void aTimeoutThatCannotFitInsideTheDeadlineIsAnError() {
        String text = Definitions.orderFlow().replace("deadline: 30s", "deadline: 1500ms");
        DefinitionException e = assertThrows(DefinitionException.class, () -> parser.parse("order-flow.yaml", text));
        List<DefinitionProblem> errors = e.problems().stream().filter(DefinitionProblem::isError).toList();
        assertEquals(List.of("$.steps[0].timeout", "$.steps[1].timeout", "$.steps[2].timeout"),
                errors.stream().map(DefinitionProblem::path).toList());
        assertTrue(errors.getFirst().message().contains("cannot fit inside the deadline 1500ms"), errors::toString);
        assertTrue(e.getMessage().contains("order-flow.yaml:" + errors.getFirst().line() + " $.steps[0].timeout"),
                e::getMessage);
    }

    @Test
    void otherSemanticErrors() {
        DefinitionProblem reserved = onlyError("order-flow.yaml", Definitions.orderFlow().replace(
                "X-Customer: \"{% payload.customerId %}\"", "Idempotency-Key: mine"));
        assertEquals("$.steps[1].action.headers['Idempotency-Key']", reserved.path());
        DefinitionProblem backoff = onlyError("order-flow.yaml", Definitions.orderFlow().replace(
                "retry: { maxAttempts: 3, initialBackoff: 50ms }", "retry: { initialBackoff: 5s, maxBackoff: 1s }"));
        assertEquals("$.steps[2].retry.maxBackoff", backoff.path(), backoff::toString);
        DefinitionProblem twice = onlyError("order-flow.yaml", Definitions.orderFlow().replace("- name: ship",
                "- name: charge"));
        assertTrue(twice.message().contains("used twice"), twice::toString);
        DefinitionProblem example = onlyError("order-flow.yaml", Definitions.orderFlow().replace("currency: EUR",
                "currency: euro"));
        assertEquals("$.examplePayload.amount.currency", example.path(), example::toString);
        DefinitionProblem remote = onlyError("order-flow.yaml", Definitions.orderFlow().replace(
                "address: { type: object }", "address: { $ref: 'http://schemas.example/address.json' }"));
        assertTrue(remote.message().contains("only local references"), remote::toString);
    }

    @Test
    void aDirectoryLoadsAllOrNothingListingEveryProblem() throws Exception {
        Files.writeString(dir.resolve("a-order.yaml"), Definitions.orderFlow());
        Files.writeString(dir.resolve("b-order-v2.yaml"), Definitions.orderFlow().replace("version: 1", "version: 2"));
        Files.writeString(dir.resolve("notes.txt"), "not a definition");
        DefinitionLoader loader = new DefinitionLoader(parser);
        LoadedDefinitions loaded = loader.loadDirectory(dir);
        assertEquals(List.of(1, 2), loaded.definitions().stream().map(IntentDefinition::version).toList());
        assertEquals(2, loaded.warnings().size());

        Files.writeString(dir.resolve("c-broken.json"), "{\"intentType\": \"x\", \"version\": 0, \"steps\": []}");
        Files.writeString(dir.resolve("d-again.yml"), Definitions.orderFlow());
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.loadDirectory(dir));
        List<String> failing = e.problems().stream().filter(DefinitionProblem::isError)
                .map(p -> Path.of(p.source()).getFileName().toString()).distinct().toList();
        assertEquals(List.of("c-broken.json", "d-again.yml"), failing, e::getMessage);
        assertTrue(e.getMessage().contains("also defined in"), e::getMessage);
    }

    @Test
    void templatesRenderValuesAndText() throws Exception {
        java.util.Map<String, Object> input = java.util.Map.of("payload", java.util.Map.of("id", "a b/c", "n", 3,
                "items", List.of(1, 2)));
        assertEquals("[1,2]", Json.write(Template.compile("{% payload.items %}").renderValue(input)));
        assertEquals("3", Json.write(Template.compile("{% payload.n %}").renderValue(input)));
        assertEquals("\"x-3-[1,2]\"", Json.write(Template.compile("x-{% payload.n %}-{% payload.items %}")
                .renderValue(input)));
        assertEquals("/orders/a%20b%2Fc", Template.compile("/orders/{% payload.id %}").renderText(input,
                v -> java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")));
        assertNull(Template.compile("{% payload.missing %}").renderValue(input).textValue());
        assertEquals("{\"sum\":3,\"items\":[\"n=3\",true]}", Json.write(JsonTemplate.compile(
                Json.MAPPER.readTree("{\"sum\":\"{% $sum(payload.items) %}\",\"items\":[\"n={% payload.n %}\",true]}"),
                "", (p, m) -> { }).render(input)));
        assertThrows(TemplateException.class, () -> Template.compile("{% $eval('1 +') %}").renderValue(input));
    }

    @Test
    void theReadmeExampleLoadsWithoutWarnings() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```yaml\n") + "```yaml\n".length();
        String example = readme.substring(start, readme.indexOf("```", start));
        OutboundPolicy policy = Definitions.allowing("http://stock.internal:8080", "https://payments.internal:8443",
                "http://shipping.internal:8080").build();
        ParsedDefinition parsed = new DefinitionParser(policy).parse("README.md.yaml", example);
        assertEquals(List.of(), parsed.warnings());
        assertEquals(3, parsed.definition().steps().size());
    }
}
