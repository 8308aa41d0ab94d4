package dev.runtimeplane.service.api;

import dev.runtimeplane.core.error.InvalidArgumentException;
import io.micronaut.json.tree.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Idempotency-Key header's rules at the edge: its syntax (checked before anything waits on the
 * store) and the request fingerprint a reuse is compared with (IETF draft "The Idempotency-Key HTTP
 * Header Field": a reuse for a different request answers 422).
 */
final class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /** 1 to 255 printable US-ASCII characters, no spaces; the header's value is returned unchanged. */
    static String requireValid(String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new InvalidArgumentException(HEADER, HEADER + " must have 1 to " + MAX_LENGTH + " characters, had "
                    + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new InvalidArgumentException(HEADER, HEADER
                        + " may hold only printable US-ASCII characters without spaces (such as a UUID); character "
                        + (i + 1) + " is not one");
            }
        }
        return key;
    }

    /** The payload with every object's members sorted by name, so member order does not change the fingerprint. */
    static JsonNode canonical(JsonNode node) {
        if (node == null) {
            return JsonNode.nullNode();
        }
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> member : node.entries()) {
                sorted.put(member.getKey(), canonical(member.getValue()));
            }
            return JsonNode.createObjectNode(sorted);
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>(node.size());
            node.values().forEach(item -> items.add(canonical(item)));
            return JsonNode.createArrayNode(items);
        }
        return node;
    }
}
