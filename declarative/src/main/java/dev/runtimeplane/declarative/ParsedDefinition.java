package dev.runtimeplane.declarative;

import java.util.List;

/** A definition that loaded, and the warnings found in it (steps that change data without a compensation). */
public record ParsedDefinition(IntentDefinition definition, List<DefinitionProblem> warnings) {

    public ParsedDefinition {
        warnings = List.copyOf(warnings);
    }
}
