#include <curses.h>
#include <stddef.h>
#include <stdio.h>

#include "tui/actions.h"

static const struct action_info actions[] = {
#define ACTION_INFO(e, name, key, key2, help)                                  \
	{ACTION_##e, name, key, key2, help},
    ACTION_TABLE(ACTION_INFO)
#undef ACTION_INFO
};

const struct action_info *
action_table(size_t *n)
{
	*n = sizeof(actions) / sizeof(actions[0]);
	return actions;
}

enum action
action_for_key(int key)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (key && (actions[i].key == key || actions[i].key2 == key))
			return actions[i].action;
	return ACTION_NONE;
}

const char *
action_key_name(int key)
{
	static char buf[8];

	switch (key) {
	case 0: /* an action without a key: the mouse's */
		return "Click";
	case '\t':
		return "Tab";
	case ' ':
		return "Space";
	case '\n':
		return "Enter";
	case KEY_ENTER:
		return "Enter";
	case 27:
		return "Esc";
	case 0x0c:
		return "^L";
	case KEY_BTAB:
		return "S-Tab";
	case KEY_DOWN:
		return "Down";
	case KEY_UP:
		return "Up";
	case KEY_LEFT:
		return "Left";
	case KEY_RIGHT:
		return "Right";
	case KEY_NPAGE:
		return "PgDn";
	case KEY_PPAGE:
		return "PgUp";
	case KEY_HOME:
		return "Home";
	case KEY_END:
		return "End";
	default:
		snprintf(buf, sizeof(buf), "%c", key);
		return buf;
	}
}
