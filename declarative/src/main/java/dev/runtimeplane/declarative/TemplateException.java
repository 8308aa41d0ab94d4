package dev.runtimeplane.declarative;

/** A template that does not compile or could not be evaluated; the message says why. */
public final class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }
}
