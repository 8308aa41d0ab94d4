package dev.runtimeplane.service.management;

import dev.runtimeplane.service.management.ManagementRoutes.Route;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the management server; all of it runs on the management event loop. Health is
 * answered inline. A scrape is answered when its thread is done; requests pipelined behind it on the
 * same connection wait for it, so responses always leave in request order (HTTP/1.1 keep-alive).
 */
final class ManagementHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementHandler.class);
    private static final String ROUTES = "/health, /health/ready, /health/live or /prometheus";

    private final ManagementRoutes routes;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean awaitingScrape;

    ManagementHandler(ManagementRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (awaitingScrape) {
            waiting.add(request.retain());
            return;
        }
        dispatch(ctx, request);
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean head = HttpMethod.HEAD.equals(request.method());
        FullHttpResponse response;
        try {
            if (request.decoderResult().isFailure()) {
                response = routes.problem(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
                HttpUtil.setKeepAlive(response, false);
                write(ctx, response, false);
                return;
            }
            String path = new QueryStringDecoder(request.uri()).path();
            Route route = Route.of(path);
            if (route == null || (route == Route.PROMETHEUS && !routes.canScrape())) {
                response = routes.problem(HttpResponseStatus.NOT_FOUND,
                        "no management route " + path + "; use " + ROUTES);
            } else if (!HttpMethod.GET.equals(request.method()) && !head) {
                response = routes.problem(HttpResponseStatus.METHOD_NOT_ALLOWED,
                        request.method() + " is not allowed on " + path + "; use GET or HEAD");
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else if (route == Route.PROMETHEUS) {
                scrape(ctx, head);
                return;
            } else {
                response = routes.health(route);
            }
        } catch (RuntimeException e) {
            LOG.error("management request {} {} failed", request.method(), request.uri(), e);
            response = routes.problem(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the management server failed: " + e);
        }
        write(ctx, response, head);
    }

    private void scrape(ChannelHandlerContext ctx, boolean head) {
        CompletableFuture<FullHttpResponse> scrape;
        try {
            scrape = routes.scrape();
        } catch (RejectedExecutionException e) {
            write(ctx, routes.problem(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many scrapes queued; retry later"), head);
            return;
        }
        awaitingScrape = true;
        scrape.whenComplete((response, failure) -> {
            try {
                ctx.executor().execute(() -> onScraped(ctx, response, failure, head));
            } catch (RejectedExecutionException e) {
                // The server is stopping; nobody will read the answer.
                if (response != null) {
                    response.release();
                }
            }
        });
    }

    private void onScraped(ChannelHandlerContext ctx, FullHttpResponse scraped, Throwable failure, boolean head) {
        awaitingScrape = false;
        FullHttpResponse response = scraped;
        if (failure != null) {
            LOG.error("the Prometheus scrape failed", failure);
            response = routes.problem(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the Prometheus scrape failed");
        }
        write(ctx, response, head);
        FullHttpRequest next;
        while (!awaitingScrape && (next = waiting.poll()) != null) {
            try {
                dispatch(ctx, next);
            } finally {
                next.release();
            }
        }
    }

    /** Writes {@code response}; for HEAD without its body but with the GET body's Content-Length. */
    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean head) {
        if (head) {
            response.content().clear();
        }
        ctx.writeAndFlush(response);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && !awaitingScrape) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("management connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseWaiting();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    private void releaseWaiting() {
        FullHttpRequest request;
        while ((request = waiting.poll()) != null) {
            request.release();
        }
    }
}
