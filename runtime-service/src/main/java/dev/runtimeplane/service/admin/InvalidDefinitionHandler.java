package dev.runtimeplane.service.admin;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.declarative.DefinitionException;
import dev.runtimeplane.declarative.DefinitionProblem;
import dev.runtimeplane.service.api.problem.Problems;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** 400 for an invalid definition, with every problem as {@code problems: [{line, path, message, severity}]}. */
@Produces
@Singleton
public class InvalidDefinitionHandler implements ExceptionHandler<DefinitionException, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, DefinitionException error) {
        MutableHttpResponse<Map<String, Object>> response = Problems.response(ErrorCode.INVALID_ARGUMENT,
                HttpStatus.BAD_REQUEST, error.getMessage(), "definition", request.getPath());
        List<Map<String, Object>> problems = error.problems().stream().map(InvalidDefinitionHandler::view).toList();
        response.body().put("problems", problems);
        return response;
    }

    private static Map<String, Object> view(DefinitionProblem problem) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("line", problem.line());
        view.put("path", problem.path());
        view.put("message", problem.message());
        view.put("severity", problem.severity().name().toLowerCase(Locale.ROOT));
        return view;
    }
}
