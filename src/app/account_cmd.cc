// citizenwatt user add | token create | list | revoke
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "app/base.h"
#include "app/commands.h"
#include "web/accounts_admin.h"

namespace cw::app {

namespace {

// From a terminal: asks twice without echo. From a pipe: the first line.
Result<std::string> read_password() {
  auto read_line = [](std::string& out) { return static_cast<bool>(std::getline(std::cin, out)); };
  if (!isatty(STDIN_FILENO)) {
    std::string pw;
    if (!read_line(pw)) return invalid_argument("no password on standard input");
    return pw;
  }
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~tcflag_t(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string a, b;
  std::cerr << "Password: " << std::flush;
  bool ok = read_line(a);
  std::cerr << "\nAgain: " << std::flush;
  ok = ok && read_line(b);
  std::cerr << "\n";
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  if (!ok) return invalid_argument("no password given");
  if (a != b) return invalid_argument("the two passwords differ");
  return a;
}

}  // namespace

int run_user_add(const std::string& data_dir, const std::string& name, bool admin) {
  auto accounts = open_accounts(data_dir);
  if (!accounts) return report(accounts.status());
  auto pw = read_password();
  if (!pw) return report(pw.status());
  auto user =
      web::create_user(**accounts, name, *pw, admin ? store::Role::kAdmin : store::Role::kMember,
                       SystemClock().now());
  if (!user) return report(user.status());
  audit_cli(data_dir, "user_created", user->name + " (" + store::role_name(user->role) + ")");
  std::cout << "user " << user->name << " created (" << store::role_name(user->role) << ")\n";
  return kExitOk;
}

int run_token_create(const std::string& data_dir, const std::string& name,
                     const std::string& scope) {
  auto parsed = store::parse_scope(scope);
  if (!parsed) return report(parsed.status());
  auto accounts = open_accounts(data_dir);
  if (!accounts) return report(accounts.status());
  auto created = web::create_token(**accounts, name, *parsed, SystemClock().now());
  if (!created) return report(created.status());
  audit_cli(data_dir, "token_created", name + " (" + scope + ")");
  std::cout << created->secret << "\n";
  std::cerr << "token " << created->token.id << " \"" << name << "\" (" << scope
            << "): send it as 'Authorization: Bearer <token>'. It is not shown again.\n";
  return kExitOk;
}

int run_token_list(const std::string& data_dir) {
  auto accounts = open_accounts(data_dir);
  if (!accounts) return report(accounts.status());
  auto list = web::list_tokens(**accounts);
  if (!list) return report(list.status());
  if (list->empty()) std::cout << "no token\n";
  for (const auto& t : *list)
    std::cout << t.id << "\t" << t.name << "\t" << store::scope_name(t.scope) << "\tcreated "
              << format_iso_utc(t.created) << "\t"
              << (t.last_used ? "last used " + format_iso_utc(t.last_used) : "never used") << "\n";
  return kExitOk;
}

int run_token_revoke(const std::string& data_dir, std::int64_t id) {
  auto accounts = open_accounts(data_dir);
  if (!accounts) return report(accounts.status());
  if (Status s = web::revoke_token(**accounts, id); !s) return report(s);
  audit_cli(data_dir, "token_revoked", "token " + std::to_string(id));
  std::cout << "token " << id << " revoked\n";
  return kExitOk;
}

}  // namespace cw::app
