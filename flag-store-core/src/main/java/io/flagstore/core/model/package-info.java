/**
 * For anyone who reads or writes flag definitions: the immutable flag model (records), its one JSON
 * form ({@code FlagJson}) and validation ({@code FlagValidator}). See docs/flag-format.md.
 */
package io.flagstore.core.model;
