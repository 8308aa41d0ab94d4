package dev.runtimeplane.service.management;

import dev.runtimeplane.core.sched.ThreadScheduling;
import dev.runtimeplane.service.RuntimeComponents;
import dev.runtimeplane.service.health.HealthReport;
import dev.runtimeplane.service.lifecycle.DrainState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port ({@code endpoints.all.port}, 8081 by default): {@code /health},
 * {@code /health/ready}, {@code /health/live} and {@code /prometheus}, served by a small Netty
 * server with its <em>own</em> one-thread event loop ({@code management-loop}). Micronaut's server
 * has one worker group for all its listeners, so a saturated API could delay probes there; here
 * nothing the API or the saga executor does runs on this loop.
 *
 * <p>Health answers straight on the loop from the components' cached snapshots (no I/O, no locks).
 * The loop thread asks Linux for a short CPU slice ({@code endpoints.all.loop-slice-micros}, see
 * {@link ThreadScheduling}): when CPU-bound steps and the API saturate every core, a probe then wakes the loop
 * and is answered at once instead of waiting for a busy thread's slice to end.
 * A Prometheus scrape is CPU work, so it runs on its own thread ({@code management-scrape}) and its
 * response is written back through the channel; a probe never queues behind it.
 *
 * <p>It listens as soon as the application context starts, before the components are started, so
 * liveness answers while recovery runs or Redis is down, and it stops when the context closes:
 * after the SIGTERM drain, so readiness keeps answering 503 all through the drain.
 */
@Context
public class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    /** Bounded: request bodies are not expected at all on the management port. */
    private static final int MAX_REQUEST_BYTES = 8 * 1024;
    private static final int IDLE_CONNECTION_SECONDS = 60;
    private static final int MAX_QUEUED_SCRAPES = 16;

    private final String host;
    private final int requestedPort;
    private final ManagementRoutes routes;
    private final ExecutorService scrapes;
    /** The event loop thread's CPU slice, or zero for the kernel's default. */
    private final Duration loopSlice;
    private EventLoopGroup group;
    private Channel channel;

    /**
     * The application's server. {@code meters} is the primary (composite) registry: asking for it
     * creates it now, which binds the JVM, process and runtime binders, so the very first scrape is
     * complete (otherwise it would be created by the first API request).
     */
    @Inject
    public ManagementServer(RuntimeComponents components, DrainState drainState, Optional<MeterRegistry> meters,
                            Optional<PrometheusMeterRegistry> prometheus, JsonMapper json,
                            @Value("${endpoints.all.host:0.0.0.0}") String host,
                            @Value("${endpoints.all.port:8081}") int port,
                            @Value("${endpoints.all.loop-slice-micros:100}") long loopSliceMicros) {
        this(() -> HealthReport.of(components.health(), drainState.draining()),
                prometheus.<Scraper>map(registry -> registry::scrape).orElse(null), json, host, port,
                Duration.ofNanos(loopSliceMicros * 1_000));
    }

    /**
     * A server answering from {@code health} and, when {@code scraper} is not null, {@code /prometheus}
     * from it, its event loop on CPU slices of {@code loopSlice} (zero: the kernel's default). Call
     * {@link #start()} to listen.
     */
    public ManagementServer(Supplier<HealthReport> health, Scraper scraper, JsonMapper json, String host, int port,
                            Duration loopSlice) {
        this.host = host;
        this.requestedPort = port;
        this.loopSlice = loopSlice;
        this.scrapes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED_SCRAPES), runnable -> {
                    Thread thread = new Thread(runnable, "management-scrape");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.routes = new ManagementRoutes(health, scraper, json, scrapes);
    }

    /** Binds the port and starts answering. Fails (and leaves nothing running) when the port cannot be bound. */
    @PostConstruct
    public synchronized void start() {
        if (channel != null) {
            return;
        }
        group = new MultiThreadIoEventLoopGroup(1, runnable -> {
            Thread thread = new FastThreadLocalThread(() -> {
                if (loopSlice.isPositive()) {
                    ThreadScheduling.requestSlice(loopSlice);
                }
                runnable.run();
            }, "management-loop");
            thread.setDaemon(true);
            return thread;
        }, NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new IdleStateHandler(0, 0, IDLE_CONNECTION_SECONDS, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec(4096, 8192, 8192))
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(new ManagementHandler(routes));
                    }
                });
        try {
            channel = bootstrap.bind(host, requestedPort).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException as is
            shutdownGroup();
            throw new IllegalStateException("the management server cannot listen on " + host + ":" + requestedPort
                    + " (endpoints.all.port / ENDPOINTS_ALL_PORT): " + e.getMessage(), e);
        }
        String where = "0.0.0.0".equals(host) || "::".equals(host) ? "" : host;
        LOG.info("management server listening on {}:{} (own event loop)", where, port());
    }

    /** The port it listens on (the actual one when configured as 0), or -1 when not listening. */
    public synchronized int port() {
        return channel == null ? -1 : ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops listening, closes open connections and the event loop. Idempotent. */
    @PreDestroy
    @Override
    public synchronized void close() {
        boolean wasListening = channel != null;
        if (channel != null) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            channel = null;
        }
        shutdownGroup();
        scrapes.shutdownNow();
        if (wasListening) {
            LOG.info("management server stopped");
        }
    }

    private void shutdownGroup() {
        if (group != null) {
            // A short quiet period: nothing is queued on this loop that needs it, and shutdown should not wait.
            group.shutdownGracefully(10, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
            group = null;
        }
    }

    /** Writes the Prometheus text exposition (format 0.0.4) of every meter. */
    @FunctionalInterface
    public interface Scraper {
        void scrape(OutputStream out) throws IOException;
    }
}
