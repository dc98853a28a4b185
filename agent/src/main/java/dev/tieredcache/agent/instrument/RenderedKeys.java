package dev.tieredcache.agent.instrument;

import java.lang.ref.WeakReference;

/**
 * The keys a method rendered lately, by its arguments, so a hit on a number, a boolean, an enum or a prefixed
 * string finds its key without building it again: rendering a {@code long} or a {@code "user:" + id} makes a new
 * string per call, which a hit would otherwise allocate every time.
 *
 * <p>Only arguments whose key can never change while they sit here are remembered: the JDK's immutable value types,
 * held strongly (they hold no host class loader), and enum constants, held weakly (an enum keeps its class loader
 * alive, and a redeployed application's loader must go). A fixed table of slots, one per hash: a newer argument replaces an older
 * one on the same slot, so its size never grows. Slots are replaced whole and their fields are final, so readers on
 * other threads see either the old slot or the new one, complete; a slot lost to a race only costs a render.
 */
final class RenderedKeys {

  private static final int SLOTS = 128;

  private final Slot[] slots = new Slot[SLOTS];

  /** Whether keys of {@code argument} are remembered. */
  static boolean remembers(Object argument) {
    Class<?> type = argument == null ? null : argument.getClass();
    return type == String.class || type == Long.class || type == Integer.class || type == Short.class
        || type == Byte.class || type == Character.class || type == Boolean.class || argument instanceof Enum;
  }

  /** The key remembered for an argument equal to {@code argument}, or {@code null}. */
  String get(Object argument) {
    Slot slot = slots[index(argument)];
    if (slot == null) {
      return null;
    }
    if (slot.arguments != null) {
      return null;
    }
    Object held = slot.argument != null ? slot.argument : slot.constant.get();
    return held != null && held.equals(argument) ? slot.key : null;
  }

  /** Remembers {@code key} for {@code argument}, which {@link #remembers} accepted. */
  void put(Object argument, String key) {
    slots[index(argument)] = new Slot(argument, key);
  }

  /** Whether keys of {@code arguments} are remembered: every one of them is a type {@link #remembers} accepts. */
  static boolean remembers(Object[] arguments) {
    for (Object argument : arguments) {
      if (!remembers(argument)) {
        return false;
      }
    }
    return true;
  }

  /** The key remembered for arguments equal to {@code arguments}, one by one, or {@code null}. */
  String get(Object[] arguments) {
    Slot slot = slots[index(arguments)];
    if (slot == null || slot.arguments == null || slot.arguments.length != arguments.length) {
      return null;
    }
    Object[] held = slot.arguments;
    for (int i = 0; i < held.length; i++) {
      Object h = held[i] instanceof WeakReference ? ((WeakReference<?>) held[i]).get() : held[i];
      if (h == null || !h.equals(arguments[i])) {
        return null;
      }
    }
    return slot.key;
  }

  /** Remembers {@code key} for {@code arguments}, which {@link #remembers(Object[])} accepted. */
  void put(Object[] arguments, String key) {
    Object[] held = new Object[arguments.length];
    for (int i = 0; i < held.length; i++) {
      held[i] = arguments[i] instanceof Enum ? new WeakReference<>(arguments[i]) : arguments[i];
    }
    slots[index(arguments)] = new Slot(held, key);
  }

  private static int index(Object[] arguments) {
    int h = 1;
    for (Object argument : arguments) {
      h = 31 * h + argument.hashCode();
    }
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }

  private static int index(Object argument) {
    int h = argument.hashCode();
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }

  private static final class Slot {
    /** The argument when it is one of the JDK's value types; {@code null} for an enum constant. */
    final Object argument;
    /** The enum constant, weakly; {@code null} otherwise. */
    final WeakReference<Object> constant;
    /** The arguments of a call with several, enum constants among them weakly; {@code null} for one argument. */
    final Object[] arguments;
    final String key;

    Slot(Object[] arguments, String key) {
      this.argument = null;
      this.constant = null;
      this.arguments = arguments;
      this.key = key;
    }

    Slot(Object argument, String key) {
      boolean isEnum = argument instanceof Enum;
      this.argument = isEnum ? null : argument;
      this.constant = isEnum ? new WeakReference<>(argument) : null;
      this.arguments = null;
      this.key = key;
    }
  }
}
