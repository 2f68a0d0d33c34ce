/**
 * Implementation details of flag-store-core (evaluator, compiled snapshot, listener dispatch). Not
 * API: may change in any release; nothing outside core may depend on it.
 */
package io.flagstore.core.internal;
