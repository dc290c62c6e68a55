// SPDX-License-Identifier: GPL-2.0
/*
 * c_demo_export: the C twin of rust_demo_export.rs, for `make bench` (what
 * does Rust cost?) and `make lint` (do the Rust export macros write the same
 * .export_symbol records as C's EXPORT_SYMBOL*?). The same exports (names,
 * licenses, namespace), the same registry of max_clients slots under a mutex,
 * and the same /dev/rust_demo, so it must not be loaded beside the Rust pair.
 * Not here: the typed Rust API, the module-restricted export, the UTF-8 check
 * of names.
 */
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/version.h>

#include "rust_demo.h"

static unsigned int max_clients = 4;
module_param(max_clients, uint, 0444);
MODULE_PARM_DESC(max_clients, "Most clients at once (default 4)");

static DEFINE_MUTEX(registry_lock);
static struct rust_demo_client **slots;

static u32 count_locked(void)
{
	u32 i, n = 0;

	for (i = 0; i < max_clients; i++)
		n += slots[i] != NULL;
	return n;
}

int rust_demo_register(struct rust_demo_client *client)
{
	u32 i, free = max_clients;

	if (!client)
		return -EINVAL;
	mutex_lock(&registry_lock);
	for (i = 0; i < max_clients; i++) {
		if (slots[i] == client) {
			mutex_unlock(&registry_lock);
			return -EEXIST;
		}
		if (!slots[i] && free == max_clients)
			free = i;
	}
	if (free == max_clients) {
		pr_info("client '%.*s' refused: all %u slots taken (max_clients=%u)\n",
			(int)client->name_len, client->name, max_clients, max_clients);
		mutex_unlock(&registry_lock);
		return -ENOSPC;
	}
	slots[free] = client;
	client->id = free + 1;
	pr_info("client '%.*s' registered as #%u (%u registered)\n",
		(int)client->name_len, client->name, client->id, count_locked());
	mutex_unlock(&registry_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(rust_demo_register);

void rust_demo_unregister(struct rust_demo_client *client)
{
	u32 i;

	mutex_lock(&registry_lock);
	for (i = 0; i < max_clients; i++) {
		if (slots[i] == client) {
			slots[i] = NULL;
			pr_info("client '%.*s' unregistered (%u registered)\n",
				(int)client->name_len, client->name, count_locked());
			mutex_unlock(&registry_lock);
			return;
		}
	}
	mutex_unlock(&registry_lock);
	pr_warn("unregister of a client that is not registered\n");
}
EXPORT_SYMBOL_GPL(rust_demo_unregister);

u32 rust_demo_client_count(void)
{
	u32 n;

	mutex_lock(&registry_lock);
	n = count_locked();
	mutex_unlock(&registry_lock);
	return n;
}
EXPORT_SYMBOL_GPL(rust_demo_client_count);

u32 rust_demo_api_version(void)
{
	return 1;
}
EXPORT_SYMBOL(rust_demo_api_version);

u32 rust_demo_add(u32 a, u32 b)
{
	return a + b < a ? U32_MAX : a + b;
}
/* The namespace became a string in Linux 6.13. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
EXPORT_SYMBOL_NS_GPL(rust_demo_add, RUST_DEMO);
#else
EXPORT_SYMBOL_NS_GPL(rust_demo_add, "RUST_DEMO");
#endif

struct listing {
	size_t len;
	char text[];
};

static int dev_open(struct inode *inode, struct file *file)
{
	struct listing *l;
	size_t size = 0;
	u32 i;

	mutex_lock(&registry_lock);
	for (i = 0; i < max_clients; i++)
		if (slots[i])
			size += slots[i]->name_len + 1;
	l = kmalloc(struct_size(l, text, size), GFP_KERNEL);
	if (l) {
		l->len = 0;
		for (i = 0; i < max_clients; i++) {
			if (!slots[i])
				continue;
			memcpy(l->text + l->len, slots[i]->name, slots[i]->name_len);
			l->len += slots[i]->name_len;
			l->text[l->len++] = '\n';
		}
	}
	mutex_unlock(&registry_lock);
	if (!l)
		return -ENOMEM;
	file->private_data = l;
	return 0;
}

static ssize_t dev_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	struct listing *l = file->private_data;

	return simple_read_from_buffer(buf, count, pos, l->text, l->len);
}

static int dev_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations fops = {
	.owner = THIS_MODULE,
	.open = dev_open,
	.read = dev_read,
	.release = dev_release,
};

static int major;
static struct class *class;

static int __init c_demo_export_init(void)
{
	struct device *dev;
	int err;

	if (max_clients > 64)
		return -EINVAL;
	slots = kcalloc(max_clients ?: 1, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;
	major = register_chrdev(0, "rust_demo", &fops);
	if (major < 0) {
		err = major;
		goto free_slots;
	}
	class = class_create("rust_demo");
	if (IS_ERR(class)) {
		err = PTR_ERR(class);
		goto unregister;
	}
	dev = device_create(class, NULL, MKDEV(major, 0), NULL, "rust_demo");
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto destroy_class;
	}
	pr_info("loaded (max_clients=%u, /dev/rust_demo is %d:0)\n", max_clients, major);
	return 0;

destroy_class:
	class_destroy(class);
unregister:
	unregister_chrdev(major, "rust_demo");
free_slots:
	kfree(slots);
	return err;
}
module_init(c_demo_export_init);

static void __exit c_demo_export_exit(void)
{
	device_destroy(class, MKDEV(major, 0));
	class_destroy(class);
	unregister_chrdev(major, "rust_demo");
	pr_info("unloaded with %u clients\n", rust_demo_client_count());
	kfree(slots);
}
module_exit(c_demo_export_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("rust-demo-kmod developers");
MODULE_DESCRIPTION("C twin of rust_demo_export");
