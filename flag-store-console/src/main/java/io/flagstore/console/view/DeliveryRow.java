package io.flagstore.console.view;

/**
 * One service instance in a delivery table.
 *
 * @param service the service name
 * @param instance the instance id
 * @param host the host, or empty
 * @param applied the namespace version it has applied
 * @param status {@code confirmed}, {@code pending}, {@code lagging} or {@code left}
 * @param applyTime how long after the write it applied it (confirmed only), else empty
 * @param heartbeat how long ago its last heartbeat was
 */
public record DeliveryRow(
        String service,
        String instance,
        String host,
        long applied,
        String status,
        String applyTime,
        String heartbeat) {}
