package dev.runtimeplane.declarative;

/**
 * Why a submitted payload does not match its intent type's payload schema.
 *
 * @param pointer JSON pointer of the offending value ({@code ""} for the payload itself)
 * @param message what is wrong, naming the field
 */
public record PayloadProblem(String pointer, String message) {
}
