package io.flagstore.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running console: a Javalin server with the pages, the JSON API and the static assets (all in
 * the jar, nothing from a CDN), connected to the namespaces of its {@link ConsoleConfig}.
 *
 * <pre>{@code
 * try (Console console = Console.start(ConsoleConfig.parse(List.of("--users", "users.txt"), System.getenv()))) {
 *     System.out.println("console at " + console.url());
 *     Thread.currentThread().join();
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} stops the server and the Redis connections.
 */
public final class Console implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Console.class.getName());

    private final ConsoleConfig config;
    private final Namespaces namespaces;
    private final Javalin app;
    private final ScheduledExecutorService sweeper;

    private Console(ConsoleConfig config, Namespaces namespaces, Javalin app, ScheduledExecutorService sweeper) {
        this.config = config;
        this.namespaces = namespaces;
        this.app = app;
        this.sweeper = sweeper;
    }

    /**
     * Connects to Redis and starts serving.
     *
     * @throws io.flagstore.core.StoreUnavailableException if Redis cannot be reached
     * @throws IllegalArgumentException if a users or tokens file is malformed
     */
    public static Console start(ConsoleConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** {@link #start(ConsoleConfig)} with the clock sessions and login limits are timed by (tests). */
    static Console start(ConsoleConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Namespaces namespaces = Namespaces.open(config);
        try {
            Web web = new Web(new Operations(namespaces));
            Security security = new Security(config, web, clock);
            Pages pages = new Pages(web);
            Api api = new Api(web.operations());
            Javalin app = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.jetty.host = config.bind;
                c.jetty.port = config.port;
                c.staticFiles.add(s -> {
                    s.hostedPath = "/static";
                    s.directory = "/console/static";
                    s.location = Location.CLASSPATH;
                    s.headers = Map.of("Cache-Control", "max-age=300");
                });
                c.routes.get("/healthz", ctx -> ctx.result("ok"));
                security.routes(c.routes);
                pages.routes(c.routes);
                api.routes(c.routes);
                c.routes.exception(Exception.class, (e, ctx) -> error(web, ctx, e));
            });
            app.start();
            ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "console-session-sweeper");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleAtFixedRate(security.sessions()::sweep, 1, 1, TimeUnit.MINUTES);
            return new Console(config, namespaces, app, sweeper);
        } catch (RuntimeException e) {
            namespaces.close();
            throw e;
        }
    }

    private static void error(Web web, Context ctx, Exception e) {
        ApiError error = ApiError.of(e);
        if (error.code == ApiError.Code.ERROR) {
            LOG.log(System.Logger.Level.WARNING, "request " + ctx.method() + " " + ctx.path() + " failed", e);
        }
        ctx.status(error.code.status);
        if (ctx.path().startsWith(Api.PREFIX)
                || ctx.header("Accept") != null && ctx.header("Accept").contains("event-stream")) {
            ctx.contentType("application/json").result(Api.errorBody(error));
            return;
        }
        if (error.code == ApiError.Code.UNAUTHENTICATED) {
            ctx.redirect("/login");
            return;
        }
        web.page(
                ctx,
                "error.jte",
                Map.of(
                        "chrome", web.chrome(ctx, "Error", null, null),
                        "status", error.code.status,
                        "code", error.code.label(),
                        "message", String.valueOf(error.getMessage()),
                        "hint", error.hint == null ? "" : error.hint));
    }

    /** The port it listens on (the chosen one when configured with 0). */
    public int port() {
        return app.port();
    }

    /** The URL to open: {@code http://BIND:PORT}. */
    public String url() {
        String host = config.bind.contains(":") ? "[" + config.bind + "]" : config.bind;
        return "http://" + host + ":" + port();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        app.stop();
        namespaces.close();
    }
}
