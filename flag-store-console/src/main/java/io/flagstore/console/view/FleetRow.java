package io.flagstore.console.view;

/**
 * One service instance on the fleet page.
 *
 * @param service the service
 * @param instance the instance id
 * @param host the host, or empty
 * @param applied the version it applied
 * @param behind how many versions behind the namespace it is
 * @param heartbeat how long ago it last heartbeat
 * @param started when it started, or empty
 * @param status {@code ok}, {@code behind}, {@code silent} (heartbeat overdue), {@code left} or {@code other-epoch}
 */
public record FleetRow(
        String service,
        String instance,
        String host,
        long applied,
        long behind,
        String heartbeat,
        String started,
        String status) {}
