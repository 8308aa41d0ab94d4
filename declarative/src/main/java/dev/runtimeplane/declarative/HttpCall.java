package dev.runtimeplane.declarative;

import java.util.Map;

/**
 * One HTTP request of a step (its action or its compensation), compiled.
 *
 * @param method        GET, POST, PUT, PATCH or DELETE
 * @param url           the URL template; its scheme, host and port are literal ({@link #endpoint})
 * @param endpoint      where it goes, checked against the allow-list at load and on every call
 * @param headers       header templates, by name
 * @param secretHeaders headers whose value comes from a secret, by name
 * @param body          the JSON body template, or null for no body
 * @param result        JSONata over {@code {body, status, headers}} selecting the step's result, or null for the body
 * @param responses     how responses are classified
 */
public record HttpCall(String method, Template url, Endpoint endpoint, Map<String, Template> headers,
                       Map<String, SecretHeader> secretHeaders, JsonTemplate body, Expression result,
                       ResponseRules responses) {

    public HttpCall {
        headers = Map.copyOf(headers);
        secretHeaders = Map.copyOf(secretHeaders);
    }

    /** Whether the method changes data on the service (and so wants a compensation). */
    public boolean changesData() {
        return !method.equals("GET");
    }

    /** A header whose value is {@code prefix + the secret's value}, resolved at call time. */
    public record SecretHeader(String secret, String prefix) {
    }
}
