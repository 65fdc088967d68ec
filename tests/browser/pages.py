"""Finding things on the portal's pages the way a user does: by the menu, headings and labelled figures."""


def menu_link(page, label: str):
    """An entry of the main menu (the same words may also appear as a link on the page itself)."""
    return page.get_by_role("navigation", name="Главное меню").get_by_role("link", name=label, exact=True)


def stat(page, label: str):
    """The figure of a `.stat` tile by its caption («сохранено участников» → «1884»)."""
    return page.locator(".stat", has_text=label).locator(".stat-value")
