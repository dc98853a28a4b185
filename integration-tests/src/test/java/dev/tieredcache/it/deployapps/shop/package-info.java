/**
 * The "web application" of the class-loader scenarios: the test copies these class files into a directory of their
 * own, and every deployment defines them anew in its own child-first loader. Self-contained: it refers to nothing but
 * the JDK, as a web application bundles its own classes.
 */
package dev.tieredcache.it.deployapps.shop;
