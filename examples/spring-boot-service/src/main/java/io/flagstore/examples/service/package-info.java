/**
 * A small Spring Boot service showing the three everyday uses of flags with the starter: a kill
 * switch around an outbound call ({@link io.flagstore.examples.service.PaymentsClient}), a percentage
 * rollout ({@link io.flagstore.examples.service.CheckoutController}) and an operational flag pausing
 * a scheduled job ({@link io.flagstore.examples.service.ReconciliationJob}).
 */
package io.flagstore.examples.service;
