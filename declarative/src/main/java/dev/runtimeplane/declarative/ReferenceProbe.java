package dev.runtimeplane.declarative;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds template references that cannot resolve, before anything runs: each template is evaluated over a
 * probe input whose maps note every field looked up that they do not know (an unknown root, a payload
 * field neither the payload schema nor the example has, a step that has not run yet, a session field
 * that does not exist). Earlier steps' results are open (their shape is the service's business).
 */
final class ReferenceProbe {

    private final List<String> unresolved = new ArrayList<>();

    /** A map that reports look-ups of keys outside {@code known}. */
    private final class ProbeMap extends LinkedHashMap<String, Object> {
        private final String name;
        private final Set<String> known;
        private final Map<String, String> explanations;

        ProbeMap(String name, Map<String, ?> values, Set<String> known, Map<String, String> explanations) {
            super(values);
            this.name = name;
            this.known = known;
            this.explanations = explanations;
        }

        @Override
        public Object get(Object key) {
            if (!known.contains(key)) {
                String why = explanations.get(key);
                unresolved.add(name + key + (why != null ? ": " + why : ": no such field (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")"));
            }
            return super.get(key);
        }
    }

    /**
     * The input a template of step {@code stepIndex} sees ({@code ownResult}: also that step's own result,
     * as a compensation does).
     */
    Map<String, Object> stepInput(Object examplePayload, Set<String> payloadFields, boolean payloadOpen,
                                  List<String> stepNames, int stepIndex, boolean ownResult) {
        Map<String, Object> steps = new LinkedHashMap<>();
        Map<String, String> later = new LinkedHashMap<>();
        for (int i = 0; i < stepNames.size(); i++) {
            if (i < stepIndex || i == stepIndex && ownResult) {
                steps.put(stepNames.get(i), new LinkedHashMap<String, Object>());
            } else {
                later.put(stepNames.get(i), i == stepIndex
                        ? "a step's action cannot see its own result" : "step " + stepNames.get(i)
                        + " runs later; only earlier steps' results are available");
            }
        }
        Object payload = examplePayload;
        if (!payloadOpen) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = examplePayload instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
            payload = new ProbeMap("payload.", values, payloadFields, Map.of());
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("payload", payload);
        root.put("session", new ProbeMap("session.", Map.of("id", "probe-session", "tenant", "probe-tenant",
                "metadata", new LinkedHashMap<>()), Set.of("id", "tenant", "metadata"), Map.of()));
        root.put("execution", new ProbeMap("execution.", Map.of("id", "probe-execution"), Set.of("id"), Map.of()));
        root.put("steps", new ProbeMap("steps.", steps, steps.keySet(), later));
        return new ProbeMap("", root, root.keySet(), Map.of());
    }

    /** The input a step's {@code result} selector sees. */
    Map<String, Object> responseInput() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("body", new LinkedHashMap<>());
        root.put("status", 200);
        root.put("headers", new LinkedHashMap<>());
        return new ProbeMap("", root, root.keySet(), Map.of());
    }

    /** What the evaluations since the last call could not resolve; clears the list. */
    List<String> drain() {
        List<String> found = List.copyOf(new java.util.LinkedHashSet<>(unresolved));
        unresolved.clear();
        return found;
    }
}
