package dev.runtimeplane.service.admin;

import dev.runtimeplane.core.error.ErrorCode;
import dev.runtimeplane.saga.StateConflictException;
import dev.runtimeplane.service.api.problem.Problems;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;

/** 409 for an action that does not apply to the execution's state, naming that state ({@code currentState}) and its driver ({@code owner}). */
@Produces
@Singleton
public class StateConflictHandler implements ExceptionHandler<StateConflictException, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, StateConflictException error) {
        MutableHttpResponse<Map<String, Object>> response = Problems.response(ErrorCode.CONFLICT, HttpStatus.CONFLICT,
                error.getMessage(), "state", request.getPath());
        response.body().put("currentState", error.currentState().name());
        if (error.owner() != null) {
            response.body().put("owner", error.owner());
        }
        return response;
    }
}
