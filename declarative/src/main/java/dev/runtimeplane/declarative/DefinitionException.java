package dev.runtimeplane.declarative;

import dev.runtimeplane.core.error.InvalidArgumentException;
import java.util.List;
import java.util.stream.Collectors;

/** A load that failed: every error found, each with its file, line and JSON path; nothing was loaded. */
public final class DefinitionException extends InvalidArgumentException {

    private final List<DefinitionProblem> problems;

    public DefinitionException(List<DefinitionProblem> problems) {
        super("definition", problems.stream().map(DefinitionProblem::toString)
                .collect(Collectors.joining("\n", "invalid intent definition:\n", "")));
        this.problems = List.copyOf(problems);
    }

    /** The errors (and the warnings found with them), in file and line order. */
    public List<DefinitionProblem> problems() {
        return problems;
    }
}
