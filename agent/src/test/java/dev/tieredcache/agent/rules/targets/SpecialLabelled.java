package dev.tieredcache.agent.rules.targets;

/** Inherits toString() from a superclass other than Object: still stable. */
public class SpecialLabelled extends Labelled {}
