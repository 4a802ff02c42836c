/* uring-ops DIR: file operations through io_uring only (no open/mkdir/... system calls), one
 * request at a time, so that the kernel audits each as a URINGOP record with its PATH items.
 * Built and run by record.sh; needs liburing (Debian: liburing-dev). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <liburing.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct io_uring ring;
static struct io_uring_sqe *last;

static struct io_uring_sqe *next_sqe(void) {
  last = io_uring_get_sqe(&ring);
  return last;
}

/* IOSQE_ASYNC: the request runs in an io-wq worker, where the kernel audits it as a URINGOP of
 * its own; done inline, it would belong to the io_uring_enter system call's record instead. */
static int wait_one(const char *what) {
  struct io_uring_cqe *cqe;
  io_uring_sqe_set_flags(last, IOSQE_ASYNC);
  if (io_uring_submit(&ring) != 1 || io_uring_wait_cqe(&ring, &cqe) != 0) {
    fprintf(stderr, "uring-ops: %s: submit failed\n", what);
    exit(1);
  }
  int res = cqe->res;
  io_uring_cqe_seen(&ring, cqe);
  if (res < 0) {
    fprintf(stderr, "uring-ops: %s: %s\n", what, strerror(-res));
    exit(1);
  }
  return res;
}

int main(int argc, char **argv) {
  if (argc != 2 || chdir(argv[1]) != 0) {
    fprintf(stderr, "usage: uring-ops DIR\n");
    return 2;
  }
  if (io_uring_queue_init(4, &ring, 0) != 0) {
    fprintf(stderr, "uring-ops: io_uring_queue_init failed\n");
    return 1;
  }
  int dfd = open(".", O_RDONLY | O_DIRECTORY);
  struct open_how how = {.flags = O_RDWR};

  io_uring_prep_openat(next_sqe(), dfd, "u-created", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  close(wait_one("openat create"));
  io_uring_prep_openat(next_sqe(), dfd, "u-created", O_RDONLY, 0);
  close(wait_one("openat read"));
  io_uring_prep_openat2(next_sqe(), dfd, "u-created", &how);
  close(wait_one("openat2 rdwr"));
  io_uring_prep_mkdirat(next_sqe(), dfd, "u-dir", 0755);
  wait_one("mkdirat");
  io_uring_prep_renameat(next_sqe(), dfd, "u-created", dfd, "u-renamed", 0);
  wait_one("renameat");
  io_uring_prep_symlinkat(next_sqe(), "u-renamed", dfd, "u-link");
  wait_one("symlinkat");
  io_uring_prep_linkat(next_sqe(), dfd, "u-renamed", dfd, "u-hard", 0);
  wait_one("linkat");
  io_uring_prep_unlinkat(next_sqe(), dfd, "u-hard", 0);
  wait_one("unlinkat");
  io_uring_prep_unlinkat(next_sqe(), dfd, "u-dir", AT_REMOVEDIR);
  wait_one("unlinkat dir");
  io_uring_queue_exit(&ring);
  return 0;
}
