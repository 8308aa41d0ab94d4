package dev.runtimeplane.declarative;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads a set of definitions all or nothing: every file is parsed and checked, and if any has an error
 * the load fails with a {@link DefinitionException} listing every problem of every file; a registry is
 * never left half-loaded. Two files defining the same intent type and version are an error too.
 */
public final class DefinitionLoader {

    /** Bound on one definition file. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private final DefinitionParser parser;

    public DefinitionLoader(DefinitionParser parser) {
        this.parser = parser;
    }

    /** Every {@code *.yaml}, {@code *.yml} and {@code *.json} file directly in {@code directory}, by name. */
    public LoadedDefinitions loadDirectory(Path directory) {
        Map<String, String> sources = new LinkedHashMap<>();
        List<DefinitionProblem> unreadable = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(Files::isRegularFile).filter(DefinitionLoader::isDefinitionFile).sorted().toList();
        } catch (IOException e) {
            throw new DefinitionException(List.of(new DefinitionProblem(directory.toString(), 0, "$",
                    "the directory cannot be read: " + e.getMessage(), DefinitionProblem.Severity.ERROR)));
        }
        for (Path file : files) {
            try {
                if (Files.size(file) > MAX_FILE_BYTES) {
                    unreadable.add(problem(file.toString(), "the file is over " + MAX_FILE_BYTES + " bytes"));
                    continue;
                }
                sources.put(file.toString(), Files.readString(file));
            } catch (CharacterCodingException e) {
                unreadable.add(problem(file.toString(), "the file is not UTF-8 text"));
            } catch (IOException e) {
                unreadable.add(problem(file.toString(), "the file cannot be read: " + e.getMessage()));
            }
        }
        return load(sources, unreadable);
    }

    /** Definitions given as text, by source name (a file name: its extension picks YAML or JSON). */
    public LoadedDefinitions load(Map<String, String> sources) {
        return load(sources, List.of());
    }

    private LoadedDefinitions load(Map<String, String> sources, List<DefinitionProblem> earlier) {
        List<DefinitionProblem> problems = new ArrayList<>(earlier);
        List<IntentDefinition> definitions = new ArrayList<>();
        Map<String, String> firstSource = new HashMap<>();
        sources.forEach((source, text) -> {
            try {
                ParsedDefinition parsed = parser.parse(source, text);
                problems.addAll(parsed.warnings());
                IntentDefinition definition = parsed.definition();
                String key = definition.intentType() + " v" + definition.version();
                String other = firstSource.putIfAbsent(key, source);
                if (other != null) {
                    problems.add(problem(source, "intent type " + key + " is also defined in " + other));
                } else {
                    definitions.add(definition);
                }
            } catch (DefinitionException e) {
                problems.addAll(e.problems());
            }
        });
        if (problems.stream().anyMatch(DefinitionProblem::isError)) {
            throw new DefinitionException(problems);
        }
        return new LoadedDefinitions(definitions, problems);
    }

    private static boolean isDefinitionFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static DefinitionProblem problem(String source, String message) {
        return new DefinitionProblem(source, 0, "$", message, DefinitionProblem.Severity.ERROR);
    }
}
