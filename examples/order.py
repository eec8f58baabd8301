"""Orders: reserve stock and price an order in parallel, then ship each item.

checkOrder (Parallel: reserveStock | priceOrder) --> shipItems (Map: shipItem) --> done
          \\--(OutOfStock)--> orderRejected

The machine is given by its first state alone: the states it goes on to are
found through `.next()` and `.catching()`.
"""

import phalanx
from phalanx import Branch, Fail, Map, Parallel, StateMachine, Succeed, Task, path

STOCK = {"apple": 10, "pear": 2}


class OutOfStock(Exception):
    """An order asks for more of an item than is in stock."""


@phalanx.function
def reserve_stock(event, context):
    """Reserve every item of the order, or fail with OutOfStock."""
    for item in event["items"]:
        if item["quantity"] > STOCK.get(item["sku"], 0):
            raise OutOfStock(f"only {STOCK.get(item['sku'], 0)} {item['sku']} left")
    return [item["sku"] for item in event["items"]]


@phalanx.function
def price_order(event, context):
    """The order's total in cents."""
    return sum(item["quantity"] * item["price"] for item in event["items"])


@phalanx.function
def ship_item(event, context):
    """Ship one item of the order."""
    return f"shipped {event['quantity']} {event['sku']}"


done = Succeed("done")
ship = Map(
    "shipItems",
    item_processor=Branch.of(Task("shipItem", ship_item)),
    items_path="$.items",
    result_path="$.shipments",
).next(done)
check = (
    Parallel(
        "checkOrder",
        [
            Branch.of(Task("reserveStock", reserve_stock)),
            Branch.of(Task("priceOrder", price_order)),
        ],
        result_selector={"reserved": path("$[0]"), "total": path("$[1]")},
        result_path="$.checks",
    )
    .catching("OutOfStock", Fail("orderRejected", error="OrderRejected", cause="out of stock"))
    .next(ship)
)

machine = StateMachine.of(check, name="Orders")
