/**
 * Helpers shared by the library's modules (service look-up through several class loaders). Not API: public only
 * for the library's other modules, and free to change in any release.
 */
package org.valueimprint.internal;
