package dev.tieredcache.it.apps;

import java.util.Arrays;

/** Calls every method of a different shape twice with the same arguments, and reports both answers. */
public final class MethodShapesApp {

  public static void main(String[] args) {
    Inventory inventory = new Inventory();
    Report.result("stock.first", inventory.stock("sku-1"));
    Report.result("stock.second", inventory.stock("sku-1"));
    Report.result("stock.calls", Inventory.STOCK_CALLS.get());

    Report.result("shelves.first", Arrays.toString(inventory.shelves("sku-1")));
    Report.result("shelves.second", Arrays.toString(inventory.shelves("sku-1")));
    Report.result("shelves.calls", Inventory.SHELVES_CALLS.get());

    Report.result("related.first", inventory.related("sku-1"));
    Report.result("related.second", inventory.related("sku-1"));
    Report.result("related.calls", Inventory.RELATED_CALLS.get());

    Report.result("quote.first", Inventory.quote("sku-1", 2));
    Report.result("quote.second", Inventory.quote("sku-1", 2));
    Report.result("quote.calls", Inventory.QUOTE_CALLS.get());
    Report.result("quote.otherQuantity", Inventory.quote("sku-1", 3));
    Report.result("quote.callsWithOtherQuantity", Inventory.QUOTE_CALLS.get());
    Report.result("reserved.first", Inventory.reserved(5_000_000_005L));
    Report.result("reserved.second", Inventory.reserved(5_000_000_005L));
    Report.result("reserved.calls", Inventory.RESERVED_CALLS.get());
    Report.result("reserved.other", Inventory.reserved(-7L));
    Report.result("reserved.otherAgain", Inventory.reserved(-7L));
    Report.result("reserved.callsWithOther", Inventory.RESERVED_CALLS.get());
    // more keys than a site remembers rendered (128): each is still cached once
    int before = Inventory.RESERVED_CALLS.get();
    for (int round = 0; round < 2; round++) {
      for (long sku = 1_000_000; sku < 1_000_300; sku++) {
        Inventory.reserved(sku);
      }
    }
    Report.result("reserved.callsFor300KeysTwice", Inventory.RESERVED_CALLS.get() - before);
    Report.result("aisle.first", Inventory.aisle(-40_000));
    Report.result("aisle.second", Inventory.aisle(-40_000));
    Report.result("aisle.calls", Inventory.AISLE_CALLS.get());
    Report.result("quote.large", Inventory.quote("sku-1", 40_000));
    Report.result("quote.largeAgain", Inventory.quote("sku-1", 40_000));
    Report.result("quote.callsWithLarge", Inventory.QUOTE_CALLS.get());
    Report.result("place.first", Inventory.place("sku-1", 5_000_000_005L, -300));
    Report.result("place.second", Inventory.place("sku-1", 5_000_000_005L, -300));
    Report.result("place.calls", Inventory.PLACE_CALLS.get());
    Report.result("place.otherBin", Inventory.place("sku-1", 5_000_000_005L, 300));
    Report.result("place.callsWithOtherBin", Inventory.PLACE_CALLS.get());
    Report.result("lot.first", inventory.lot(7_000_000_000L, 400));
    Report.result("lot.second", inventory.lot(7_000_000_000L, 400));
    Report.result("lot.calls", Inventory.LOT_CALLS.get());
    Report.result("lot.otherRow", inventory.lot(7_000_000_000L, 401));
    Report.result("lot.callsWithOtherRow", Inventory.LOT_CALLS.get());
    Report.result("label.first", Inventory.label(2.5, 'L', true));
    Report.result("label.second", Inventory.label(2.5, 'L', true));
    Report.result("label.calls", Inventory.LABEL_CALLS.get());
    Report.result("label.other", Inventory.label(2.5, 'L', false));
    Report.result("label.callsWithOther", Inventory.LABEL_CALLS.get());
    Report.result("quote.noSku", Inventory.quote(null, 2));
    Report.result("quote.noSkuAgain", Inventory.quote(null, 2));
    Report.result("quote.callsWithNoSku", Inventory.QUOTE_CALLS.get());

    Discounts discounts = new SeasonalDiscounts();
    Report.result("discountCode.first", discounts.discountCode("sku-1"));
    Report.result("discountCode.second", discounts.discountCode("sku-1"));
    Report.result("discountCode.calls", Discounts.CODE_CALLS.get());

    Warehouse warehouse = new CentralWarehouse();
    Report.result("location.first", warehouse.location("sku-1"));
    Report.result("location.second", warehouse.location("sku-1"));
    Report.result("location.calls", Warehouse.LOCATION_CALLS.get());
  }
}
