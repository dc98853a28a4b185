package dev.tieredcache.it.apps;

/** Calls methods whose cache keys cannot be made, 100 times each. */
public final class KeyProblemApp {

  static final int CALLS = 100;

  public static void main(String[] args) {
    Labels labels = new Labels();
    Product kettle = new Product("p1", "kettle");
    Coupon coupon = new Coupon("10%");
    int rightLabels = 0;
    int rightCoupons = 0;
    String unexpected = "none";
    for (int i = 0; i < CALLS; i++) {
      try {
        String label = labels.labelOf(kettle);
        if (label.equals("label of Product{p1, kettle}")) {
          rightLabels++;
        } else {
          unexpected = "labelOf returned " + label;
        }
      } catch (Throwable t) {
        unexpected = "labelOf threw " + t;
      }
      try {
        String text = labels.couponText(coupon);
        if (text.equals("10% off")) {
          rightCoupons++;
        } else {
          unexpected = "couponText returned " + text;
        }
      } catch (Throwable t) {
        unexpected = "couponText threw " + t;
      }
    }
    Report.result("rightLabels", rightLabels);
    Report.result("labelCalls", Labels.LABEL_CALLS.get());
    Report.result("rightCoupons", rightCoupons);
    Report.result("couponCalls", Labels.COUPON_CALLS.get());
    Report.result("unexpected", unexpected);
  }
}
