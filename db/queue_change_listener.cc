#include "db/queue_change_listener.h"

#include <chrono>

#include <pqxx/pqxx>

#include "db/queue_repository.h"

namespace horizonscale::db {
namespace {

class Receiver : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& connection, const QueueChangeListener::OnChanged& on_changed)
      : pqxx::notification_receiver(connection, kQueueChangedChannel), on_changed_(on_changed) {}

  void operator()(const std::string& payload, int /*backend_pid*/) override {
    on_changed_(payload);
  }

 private:
  const QueueChangeListener::OnChanged& on_changed_;
};

}  // namespace

QueueChangeListener::QueueChangeListener(std::string url, OnChanged on_changed,
                                         OnAllChanged on_all_changed)
    : url_(std::move(url)),
      on_changed_(std::move(on_changed)),
      on_all_changed_(std::move(on_all_changed)) {}

QueueChangeListener::~QueueChangeListener() { Stop(); }

void QueueChangeListener::Start(absl::Duration retry) {
  stopping_ = false;
  thread_ = std::thread([this, retry] { Run(retry); });
}

void QueueChangeListener::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void QueueChangeListener::Run(absl::Duration retry) {
  while (!stopping_) {
    try {
      pqxx::connection connection(url_);
      Receiver receiver(connection, on_changed_);
      // LISTEN is issued by the receiver on a live connection: from here on
      // nothing is missed, but anything before may have been.
      connection.await_notification(0, 0);
      int backend = connection.backendpid();
      on_all_changed_();
      while (!stopping_) {
        connection.await_notification(1, 0);
        // libpqxx may reconnect (and LISTEN again) on its own after a lost
        // connection: a new backend means announcements may have been missed.
        if (const int now = connection.backendpid(); now != backend) {
          backend = now;
          on_all_changed_();
        }
      }
      return;
    } catch (const std::exception&) {
      // Lost or refused: whatever was announced meanwhile is unknown.
    }
    for (absl::Duration waited; waited < retry && !stopping_; waited += absl::Milliseconds(100)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace horizonscale::db
