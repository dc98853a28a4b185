/**
 * Sample host applications of the class-loader scenarios, run in forked JVMs by {@code dev.tieredcache.it.RedeployTest}:
 * a small servlet-container-like harness ({@link dev.tieredcache.it.deployapps.ContainerApp}) that deploys the web
 * application in {@code shop} with a child-first {@link dev.tieredcache.it.deployapps.WebAppLoader}, calls it through
 * reflection only, redeploys it with a new loader, drops loaders and watches them being collected. The harness never
 * names a class of {@code shop} directly, so those classes exist only in the web-app loaders.
 */
package dev.tieredcache.it.deployapps;
