/**
 * What the console's templates render: plain immutable records built by the handlers. Public only
 * because the precompiled templates live in another package; not an API.
 */
package io.flagstore.console.view;
