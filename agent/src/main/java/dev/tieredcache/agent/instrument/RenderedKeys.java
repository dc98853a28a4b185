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

  /**
   * {@link #get(Object)} for an integral argument passed as a {@code long} without its box, {@code box} being the
   * type it would be boxed as ({@code Long}, {@code Integer}, {@code Short} or {@code Byte}).
   */
  String get(long argument, Class<?> box) {
    // the hash code its box would have, so the slot is the one put(Object) chose
    Slot slot = slots[spread(box == Long.class ? Long.hashCode(argument) : (int) argument)];
    if (slot == null || slot.argument == null) {
      return null;
    }
    return sameInteger(slot.argument, box, argument) ? slot.key : null;
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
    int at = index(arguments);
    if (at < 0) {
      return null;
    }
    Slot slot = slots[at];
    if (slot == null || slot.arguments == null || slot.arguments.length != arguments.length) {
      return null;
    }
    Object[] held = slot.arguments;
    for (int i = 0; i < held.length; i++) {
      if (!matches(held[i], arguments[i])) {
        return null;
      }
    }
    return slot.key;
  }

  /**
   * {@link #get(Object[])} for the {@code count} (2 or 3) arguments of a call passed one by one, without an array:
   * argument {@code i} is its object, or, where {@code boxes[i]} names a box, the bits of that integer (see
   * {@link SplitArguments}).
   */
  String get(Class<?>[] boxes, int count, Object first, long firstBits, Object second, long secondBits,
      Object third, long thirdBits) {
    Class<?> box0 = boxes[0];
    Class<?> box1 = boxes[1];
    Class<?> box2 = count == 3 ? boxes[2] : null;
    if (box0 == null && first == null || box1 == null && second == null
        || count == 3 && box2 == null && third == null) {
      return null;
    }
    int h = 31 * (31 + hashOf(box0, first, firstBits)) + hashOf(box1, second, secondBits);
    if (count == 3) {
      h = 31 * h + hashOf(box2, third, thirdBits);
    }
    Slot slot = slots[spread(h)];
    if (slot == null || slot.arguments == null || slot.arguments.length != count) {
      return null;
    }
    Object[] held = slot.arguments;
    return matches(held[0], box0, first, firstBits) && matches(held[1], box1, second, secondBits)
        && (count == 2 || matches(held[2], box2, third, thirdBits)) ? slot.key : null;
  }

  /** The hash code of an argument passed as {@code argument}, or as {@code bits} of the integer {@code box}. */
  private static int hashOf(Class<?> box, Object argument, long bits) {
    if (box == null) {
      return argument.hashCode();
    }
    return box == Long.class ? Long.hashCode(bits) : (int) bits;
  }

  private static boolean matches(Object held, Class<?> box, Object argument, long bits) {
    return box == null ? matches(held, argument) : sameInteger(held, box, bits);
  }

  /** Whether {@code held} is the integer {@code bits} boxed as {@code box}. */
  private static boolean sameInteger(Object held, Class<?> box, long bits) {
    return held != null && held.getClass() == box && ((Number) held).longValue() == bits;
  }

  /** Whether {@code held} (an argument as a slot keeps it) is equal to {@code argument}. */
  private static boolean matches(Object held, Object argument) {
    Object h = held instanceof WeakReference ? ((WeakReference<?>) held).get() : held;
    return h != null && h.equals(argument);
  }

  /** Remembers {@code key} for {@code arguments}, which {@link #remembers(Object[])} accepted. */
  void put(Object[] arguments, String key) {
    Object[] held = new Object[arguments.length];
    for (int i = 0; i < held.length; i++) {
      held[i] = arguments[i] instanceof Enum ? new WeakReference<>(arguments[i]) : arguments[i];
    }
    slots[index(arguments)] = new Slot(held, key);
  }

  /** The slot of {@code arguments}; {@code -1} when one is {@code null} (never remembered). */
  private static int index(Object[] arguments) {
    int h = 1;
    for (Object argument : arguments) {
      if (argument == null) {
        return -1;
      }
      h = 31 * h + argument.hashCode();
    }
    return spread(h);
  }

  private static int index(Object argument) {
    return spread(argument.hashCode());
  }

  private static int spread(int h) {
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
