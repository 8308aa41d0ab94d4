package dev.runtimeplane.declarative;

import java.net.UnknownHostException;

/**
 * A call the outbound allow-list refuses: its endpoint is not listed, or its host resolved only to
 * addresses that may not be connected to. An {@link UnknownHostException} so that the HTTP client's
 * connection path stops with it.
 */
public final class ForbiddenAddressException extends UnknownHostException {

    public ForbiddenAddressException(String message) {
        super(message);
    }
}
