package io.flagstore.console;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The namespaces the console shows, opened at start and closed with it. */
final class Namespaces implements AutoCloseable {
    private final Map<String, NamespaceView> views;

    private Namespaces(Map<String, NamespaceView> views) {
        this.views = Collections.unmodifiableMap(views);
    }

    static Namespaces open(ConsoleConfig config) {
        Map<String, NamespaceView> views = new LinkedHashMap<>();
        try {
            for (String ns : config.namespaces) {
                views.put(ns, NamespaceView.open(config.redisOptions(ns), config.readOnly, config.presenceKeyFile));
            }
        } catch (RuntimeException e) {
            views.values().forEach(NamespaceView::close);
            throw e;
        }
        return new Namespaces(views);
    }

    /** The namespace, or null. */
    NamespaceView find(String name) {
        return views.get(name);
    }

    Map<String, NamespaceView> all() {
        return views;
    }

    @Override
    public void close() {
        views.values().forEach(NamespaceView::close);
    }
}
