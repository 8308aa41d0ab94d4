package dev.runtimeplane.declarative;

/**
 * One thing wrong (or doubtful) in a definition file.
 *
 * @param source   the file (or other source) name
 * @param line     1-based line in the source, 0 when unknown
 * @param path     JSON path of the value concerned, {@code $} for the whole document
 * @param message  what is wrong
 * @param severity an error fails the load; a warning does not
 */
public record DefinitionProblem(String source, int line, String path, String message, Severity severity) {

    public enum Severity { ERROR, WARNING }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return source + (line > 0 ? ":" + line : "") + " " + path + ": " + message
                + (severity == Severity.WARNING ? " (warning)" : "");
    }
}
